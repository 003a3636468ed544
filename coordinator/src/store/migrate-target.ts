// The etcd side of a migration: the prefix must be empty, and stays the migration's alone. Every
// Txn of the copy carries one compare over the whole prefix: "no key has a mod revision above the
// revision of this migration's previous Txn" (the first Txn: no key at all). etcd evaluates it at
// the Txn's revision (api/v3rpc, mvcc applyCompare: an empty range compares as a zero KeyValue),
// so a key someone else put there - before the copy or during it - fails the Txn and the copy
// stops with that key named; nothing is ever written over another fleet.
import { readFileSync } from 'node:fs';
import { Etcd3, type IKeyValue } from 'etcd3';
import { etcdFailure } from './etcd-errors.js';
import { decodeKey, EtcdKeyLayout } from './etcd-keys.js';
import type { Put } from './migrate-batches.js';
import { MigrateError, MigrateTargetNotEmptyError } from './migrate-errors.js';
import type { StoreLocation } from './store-location.js';

/** Keys per page of a range read (one answer well under gRPC's 4 MiB). */
const PAGE = 1000;
const CALL_TIMEOUT_MS = 30_000;

export class EtcdTarget {
  readonly layout: EtcdKeyLayout;
  /** The revision of this migration's last Txn; 0 before the first. */
  private written = 0;

  private constructor(
    private readonly client: Etcd3,
    readonly endpoints: readonly string[],
    prefix: string,
  ) {
    this.layout = new EtcdKeyLayout(prefix);
  }

  /** A client for `location`; TLS files are read now. No call is made yet. */
  static connect(location: Extract<StoreLocation, { type: 'etcd' }>): EtcdTarget {
    const tls = location.tls;
    const client = new Etcd3({
      hosts: [...location.endpoints],
      ...(tls
        ? {
            credentials: {
              rootCertificate: readFileSync(tls.caFile),
              ...(tls.keyFile ? { privateKey: readFileSync(tls.keyFile) } : {}),
              ...(tls.certFile ? { certChain: readFileSync(tls.certFile) } : {}),
            },
          }
        : {}),
    });
    return new EtcdTarget(client, location.endpoints, location.prefix);
  }

  /** Throws MigrateTargetNotEmptyError naming a key when the prefix holds any. */
  async refuseNonEmpty(): Promise<void> {
    const found = await this.firstKey(0);
    if (found) throw new MigrateTargetNotEmptyError(this.layout.prefix, this.describe(found.key), false);
  }

  /** Puts `batch` in one Txn, guarded as the header says. */
  async put(batch: readonly Put[]): Promise<void> {
    const { key, rangeEnd } = this.layout.all;
    const response = await this.call(() =>
      this.client.kv.txn(
        {
          compare: [{ key, range_end: rangeEnd, target: 'Mod', result: 'Less', mod_revision: String(this.written + 1) }],
          success: batch.map((put) => ({ request_put: { key: put.key, value: put.value } })),
          failure: [],
        },
        { deadline: Date.now() + CALL_TIMEOUT_MS },
      ),
    );
    if (!response.succeeded) {
      const foreign = await this.firstKey(this.written + 1);
      const described = foreign ? this.describe(foreign.key) : 'a key since deleted';
      if (this.written === 0) throw new MigrateTargetNotEmptyError(this.layout.prefix, described, false);
      throw new MigrateError(
        `another writer changed etcd prefix ${this.layout.prefix} during the migration (${described}); the copy stopped half done: ` +
          `stop every coordinator on that prefix, delete it (etcdctl del --prefix ${this.layout.prefix}/) and migrate again`,
      );
    }
    this.written = Number(response.header.revision);
  }

  /** Every record under the prefix, table by table in key order: [table, key bytes, value bytes]. */
  async *records(): AsyncGenerator<{ table: string; key: Buffer; value: Buffer }> {
    const { key, rangeEnd } = this.layout.all;
    let from = key;
    let revision: string | undefined;
    for (;;) {
      const request = { key: from, range_end: rangeEnd, limit: PAGE, ...(revision ? { revision } : {}) };
      const page = await this.call(() => this.client.kv.range(request, { deadline: Date.now() + CALL_TIMEOUT_MS }));
      revision ??= page.header.revision; // one consistent view of the prefix
      for (const kv of page.kvs) {
        const place = this.layout.parse(kv.key);
        if (place.type === 'record') yield { table: place.table, key: Buffer.from(place.encoded, 'latin1'), value: kv.value };
      }
      if (!page.more || page.kvs.length === 0) return;
      from = Buffer.concat([page.kvs[page.kvs.length - 1]!.key, Buffer.from([0])]);
    }
  }

  close(): void {
    this.client.close();
  }

  /** The first key in the prefix with a mod revision of at least `minModRevision`, or null. */
  private async firstKey(minModRevision: number): Promise<IKeyValue | null> {
    const { key, rangeEnd } = this.layout.all;
    // min_mod_revision cannot be combined with limit (etcd applies the limit first), so page through.
    let from = key;
    for (;;) {
      const request = { key: from, range_end: rangeEnd, limit: PAGE, keys_only: true };
      const page = await this.call(() => this.client.kv.range(request, { deadline: Date.now() + CALL_TIMEOUT_MS }));
      const found = page.kvs.find((kv) => Number(kv.mod_revision) >= minModRevision);
      if (found) return found;
      if (!page.more || page.kvs.length === 0) return null;
      from = Buffer.concat([page.kvs[page.kvs.length - 1]!.key, Buffer.from([0])]);
    }
  }

  /** An etcd key for a message: a record as prefix/t/table/<its decoded key>, else as text. */
  private describe(key: Buffer): string {
    const place = this.layout.parse(key);
    if (place.type !== 'record') return JSON.stringify(key.toString('latin1'));
    let decoded: string;
    try {
      decoded = JSON.stringify(decodeKey(place.encoded));
    } catch {
      decoded = JSON.stringify(place.encoded);
    }
    return `${this.layout.prefix}/t/${place.table}/${decoded}`;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const failure = etcdFailure(error);
      const half =
        this.written > 0
          ? `; the copy stopped half done: delete the prefix (etcdctl del --prefix ${this.layout.prefix}/) and migrate again`
          : '';
      throw new MigrateError(`etcd at ${this.endpoints.join(',')}: ${failure.message}${half}`, { cause: error });
    }
  }
}
