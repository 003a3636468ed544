// The etcd side of a migration: the prefix must be empty, and stays the migration's alone. The copy
// keeps several Txns in flight (their puts are in key order, so each Txn owns a slice of the
// prefix: from where the previous Txn's slice ended to just past its own last key; the last Txn's
// slice runs to the prefix's end). Every Txn carries one compare: "no key in my slice" (etcd
// evaluates it at the Txn's revision; api/v3rpc, mvcc applyCompare: an empty range compares as a
// zero KeyValue, version 0), so no put ever lands on a key someone else wrote, and slices of Txns
// in flight never overlap. A key someone else puts in a slice already copied is found after the
// copy: every key of the migration has the mod revision of one of its own Txns, so a key with any
// other is another writer's, and the copy fails naming it.
import { readFileSync } from 'node:fs';
import type { Etcd3, IKeyValue } from 'etcd3';
import { connectEtcd } from './etcd-client.js';
import { etcdFailure } from './etcd-errors.js';
import { decodeKey, EtcdKeyLayout } from './etcd-keys.js';
import type { Put } from './migrate-batches.js';
import { MigrateError, MigrateTargetNotEmptyError } from './migrate-errors.js';
import type { StoreLocation } from './store-location.js';

/** Keys per page of a range read (one answer well under gRPC's 4 MiB). */
const PAGE = 1000;
const CALL_TIMEOUT_MS = 30_000;
/**
 * Txns of the copy in flight at once. One at a time, each waited for its raft commit (a leader
 * round trip and an fsync on a quorum); several let etcd batch them into fewer raft rounds.
 */
const IN_FLIGHT = 8;

/** A Txn's compare failed: a key is in its slice. */
class SliceTaken extends Error {}

export class EtcdTarget {
  readonly layout: EtcdKeyLayout;
  /** The revisions of this migration's Txns: every key it wrote has one of them as its mod revision. */
  private readonly revisions = new Set<number>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Where the next Txn's slice starts (just past the last key sent); null before the first: the prefix's start. */
  private sliceEnd: Buffer | null = null;
  private failure: { error: unknown } | null = null;
  private sent = 0;

  private constructor(
    private readonly client: Etcd3,
    readonly endpoints: readonly string[],
    prefix: string,
  ) {
    this.layout = new EtcdKeyLayout(prefix);
  }

  /** A client for `location`; TLS files are read now. No call is made yet. */
  static async connect(location: Extract<StoreLocation, { type: 'etcd' }>): Promise<EtcdTarget> {
    const tls = location.tls;
    const client = await connectEtcd(
      location.endpoints,
      tls
        ? {
            ca: readFileSync(tls.caFile),
            cert: tls.certFile ? readFileSync(tls.certFile) : null,
            key: tls.keyFile ? readFileSync(tls.keyFile) : null,
          }
        : null,
    );
    return new EtcdTarget(client, location.endpoints, location.prefix);
  }

  /** Throws MigrateTargetNotEmptyError naming a key when the prefix holds any. */
  async refuseNonEmpty(): Promise<void> {
    const found = await this.firstKey(() => true);
    if (found) throw new MigrateTargetNotEmptyError(this.layout.prefix, this.describe(found.key), false);
  }

  /**
   * Sends `batch` as one Txn, guarded as the header says, and returns once fewer than IN_FLIGHT
   * Txns are pending. Its keys are ascending and above every key sent before. A failed Txn is
   * thrown here or by finish(), after every other Txn in flight has settled.
   */
  async put(batch: readonly Put[]): Promise<void> {
    if (!this.failure) {
      const from = this.sliceEnd ?? this.layout.all.key;
      if (Buffer.compare(batch[0]!.key, from) < 0) throw new Error(`migrate: puts out of key order at ${this.describe(batch[0]!.key)}`);
      this.sliceEnd = Buffer.concat([batch[batch.length - 1]!.key, Buffer.from([0])]);
      this.send(batch, { from, to: this.sliceEnd }, []);
    }
    while (this.inFlight.size >= IN_FLIGHT && !this.failure) await Promise.race(this.inFlight);
    if (this.failure) await this.settle();
  }

  /** Waits for every Txn sent; throws the first failure. */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight);
    const failure = this.failure;
    if (!failure) return;
    throw failure.error instanceof SliceTaken ? await this.foreignWriteError() : failure.error;
  }

  /**
   * The last Txn: P/rev (the etcd store touches it in every Txn and reads its mod revision after a
   * conflict), guarded with the rest of the prefix; then every key is checked to be this migration's.
   */
  async finish(): Promise<void> {
    await this.settle();
    const { rangeEnd } = this.layout.all;
    this.send([{ key: this.layout.revision, value: Buffer.alloc(0) }], { from: this.sliceEnd ?? this.layout.all.key, to: rangeEnd }, [
      this.layout.revision,
    ]);
    await this.settle();
    const foreign = await this.firstKey((kv) => !this.revisions.has(Number(kv.mod_revision)));
    if (foreign) throw this.changedDuringCopy(this.describe(foreign.key));
  }

  /** Txns sent so far. */
  get txns(): number {
    return this.sent;
  }

  private send(batch: readonly Put[], slice: { from: Buffer; to: Buffer }, absent: readonly Buffer[]): void {
    const empty = [{ key: slice.from, range_end: slice.to }, ...absent.map((key) => ({ key }))];
    const txn = this.call(() =>
      this.client.kv.txn(
        {
          compare: empty.map((range) => ({ ...range, target: 'Version' as const, result: 'Equal' as const, version: '0' })),
          success: batch.map((put) => ({ request_put: { key: put.key, value: put.value } })),
          failure: [],
        },
        { deadline: Date.now() + CALL_TIMEOUT_MS },
      ),
    )
      .then((response) => {
        if (!response.succeeded) throw new SliceTaken();
        this.revisions.add(Number(response.header.revision));
      })
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.inFlight.delete(txn));
    this.inFlight.add(txn);
    this.sent++;
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

  /** The first key in the prefix (in key order) that `matches`, or null. */
  private async firstKey(matches: (kv: IKeyValue) => boolean): Promise<IKeyValue | null> {
    const { key, rangeEnd } = this.layout.all;
    let from = key;
    for (;;) {
      const request = { key: from, range_end: rangeEnd, limit: PAGE, keys_only: true };
      const page = await this.call(() => this.client.kv.range(request, { deadline: Date.now() + CALL_TIMEOUT_MS }));
      const found = page.kvs.find(matches);
      if (found) return found;
      if (!page.more || page.kvs.length === 0) return null;
      from = Buffer.concat([page.kvs[page.kvs.length - 1]!.key, Buffer.from([0])]);
    }
  }

  /** A Txn found a key in its slice: the prefix was not empty (nothing copied yet) or another writer is at work. */
  private async foreignWriteError(): Promise<MigrateError> {
    const foreign = await this.firstKey((kv) => !this.revisions.has(Number(kv.mod_revision)));
    const described = foreign ? this.describe(foreign.key) : 'a key since deleted';
    if (this.revisions.size === 0) return new MigrateTargetNotEmptyError(this.layout.prefix, described, false);
    return this.changedDuringCopy(described);
  }

  private changedDuringCopy(described: string): MigrateError {
    return new MigrateError(
      `another writer changed etcd prefix ${this.layout.prefix} during the migration (${described}); the copy stopped half done: ` +
        `stop every coordinator on that prefix, delete it (etcdctl del --prefix ${this.layout.prefix}/) and migrate again`,
    );
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
        this.revisions.size > 0
          ? `; the copy stopped half done: delete the prefix (etcdctl del --prefix ${this.layout.prefix}/) and migrate again`
          : '';
      throw new MigrateError(`etcd at ${this.endpoints.join(',')}: ${failure.message}${half}`, { cause: error });
    }
  }
}
