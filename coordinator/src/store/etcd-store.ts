// The fleet on an etcd cluster shared by several coordinators (`--store etcd:...`). Each
// coordinator keeps a replica of the prefix (etcd-replica.ts): one range read at a revision, then
// a watch from the next. `write(change)` runs `change` synchronously against the replica through
// a transaction that records what it reads and buffers what it writes (etcd-transaction.ts), then
// commits it as ONE etcd Txn that compares every read. If another coordinator changed anything the
// change read, the Txn fails; the replica catches up to that commit and `change` runs again, up to
// maxAttempts times. A write resolves once the Txn succeeded (etcd commits on a quorum, durably)
// and the replica shows it, so a read after `await write` sees the write; onCommit callbacks run
// then. Writes of one coordinator go through one lane, one Txn at a time: they never conflict with
// each other, only with other coordinators.
// When etcd does not answer a Txn (its leader died, a deadline passed, "no leader"), the outcome
// is unknown: the same Txn is sent again with backoff until etcd answers or unavailableRetryMs
// pass. Every Txn of this store compares and sets the store's write tag (P/w/<id>) to its own id,
// so of all the copies of one write at most one is applied, and the tag says which.
import { randomBytes } from 'node:crypto';
import { Etcd3, type IKeyValue, type ITxnRequest, type ITxnResponse, type IWatchResponse, type Watcher } from 'etcd3';
import { Packr } from 'msgpackr';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DiskState, DiskStateListener } from './disk-state.js';
import { EtcdContentionError, etcdFailure, EtcdPrefixError, EtcdUnavailableError } from './etcd-errors.js';
import { EtcdKeyLayout } from './etcd-keys.js';
import { Replica } from './etcd-replica.js';
import { EtcdTable, type TableContext } from './etcd-table.js';
import { RetryBackoff, sleep } from './etcd-retry.js';
import { EtcdTransaction } from './etcd-transaction.js';
import { migrate } from './schema.js';
import type { SecretCipher } from './secrets-key.js';
import type { CommitListener, StoreBackend, WriteScope } from './store-backend.js';
import type { TableKey } from './table-api.js';
import { openTables, type Tables } from './tables.js';

export interface EtcdTls {
  /** PEM: the CA that signed the members' certificates. */
  readonly ca: Buffer;
  /** PEM client certificate and key, when the members require client certificates. */
  readonly cert: Buffer | null;
  readonly key: Buffer | null;
}

export interface EtcdStoreOptions {
  /** Client URLs of the members: http://host:port or https://host:port. */
  readonly endpoints: readonly string[];
  readonly tls: EtcdTls | null;
  /** Every key of this fleet starts with it, e.g. /mooring. */
  readonly prefix: string;
  readonly cipher: SecretCipher;
  readonly logger: Logger;
  /** Deadline of each etcd call, and how long a write waits for the replica to show its commit. Default 5000. */
  readonly callTimeoutMs?: number;
  /** How long a write etcd does not answer is sent again (with backoff) before it fails UNAVAILABLE. Default 10000. */
  readonly unavailableRetryMs?: number;
  /** Runs of a change before it fails with EtcdContentionError. Default 32. */
  readonly maxAttempts?: number;
  /** etcd's --max-txn-ops (default 128): the most compares, and the most writes, one Txn may hold. */
  readonly maxTxnOps?: number;
  readonly clock?: Clock;
}

const KEY_CHECK = 'secretsKeyCheck';
/** Keys per page of the initial range read (one gRPC answer stays well under 4 MiB). */
const LOAD_PAGE = 2000;

type Lifecycle = { type: 'open' } | { type: 'closed' };

/** One write's time without an answer from etcd: since when, and whether any attempt may have been applied. */
interface Unanswered {
  since: number | null;
  outcome: 'not-applied' | 'unknown';
  readonly backoff: RetryBackoff;
}

export class EtcdStore implements StoreBackend {
  readonly tables: Tables;
  private readonly replica = new Replica();
  private readonly packr = new Packr({ useRecords: false });
  private active: EtcdTransaction | null = null;
  /** The tail of this coordinator's write lane. */
  private lane: Promise<unknown> = Promise.resolve();
  private watcher: Watcher | null = null;
  private disk: DiskState = { type: 'writable' };
  private lifecycle: Lifecycle = { type: 'open' };
  private readonly listeners: DiskStateListener[] = [];
  private readonly commitListeners = new Set<CommitListener>();
  private readonly layout: EtcdKeyLayout;
  private readonly logger: Logger;
  private readonly callTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly unavailableRetryMs: number;
  /** Names this open store's write tag (etcd-keys.ts, P/w/<id>). */
  private readonly storeId = randomBytes(9).toString('base64url');
  /** The write tag's mod revision as of this store's last answer from etcd (0: absent). */
  private tagMod = 0;
  private readonly maxTxnOps: number;
  private readonly clock: Clock;

  private constructor(
    private readonly client: Etcd3,
    readonly cipher: SecretCipher,
    options: EtcdStoreOptions,
  ) {
    this.layout = new EtcdKeyLayout(options.prefix);
    this.logger = options.logger.child({ component: 'store', backend: 'etcd', prefix: this.layout.prefix });
    this.callTimeoutMs = options.callTimeoutMs ?? 5000;
    this.maxAttempts = options.maxAttempts ?? 32;
    this.unavailableRetryMs = options.unavailableRetryMs ?? 10_000;
    this.maxTxnOps = options.maxTxnOps ?? 128;
    this.clock = options.clock ?? systemClock;
    const context: TableContext = {
      replica: this.replica,
      transaction: () => this.active,
      encode: (value) => this.packr.pack(value),
      decode: (bytes) => this.packr.unpack(bytes) as unknown,
    };
    this.tables = openTables({ openDB: <V, K extends TableKey>({ name }: { name: string }) => new EtcdTable<V, K>(name, context) });
  }

  /** Connects, loads the prefix, follows it, and brings its schema up to date (refusing a newer one or another secrets key). */
  static async open(options: EtcdStoreOptions): Promise<EtcdStore> {
    const client = new Etcd3({
      hosts: [...options.endpoints],
      ...(options.tls
        ? {
            credentials: {
              rootCertificate: options.tls.ca,
              ...(options.tls.key ? { privateKey: options.tls.key } : {}),
              ...(options.tls.cert ? { certChain: options.tls.cert } : {}),
            },
          }
        : {}),
    });
    const store = new EtcdStore(client, options.cipher, options);
    try {
      await store.load();
      const { from, to } = await store.write(() => {
        const recorded = store.tables.meta.get(KEY_CHECK) as string | undefined;
        if (recorded !== undefined && recorded !== options.cipher.check) {
          throw new EtcdPrefixError(store.layout.prefix, 'its secrets are sealed under another secrets key than this coordinator holds');
        }
        const versions = migrate(store.tables);
        if (recorded === undefined) store.tables.meta.putSync(KEY_CHECK, options.cipher.check);
        return versions;
      });
      store.logger.info({ endpoints: options.endpoints, revision: store.replica.revision, schemaFrom: from, schemaTo: to }, 'store opened');
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** The etcd revision the replica reflects. */
  get revision(): number {
    return this.replica.revision;
  }

  get diskState(): DiskState {
    return this.disk;
  }

  onDiskState(listener: DiskStateListener): void {
    this.listeners.push(listener);
  }

  onCommitTimed(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => void this.commitListeners.delete(listener);
  }

  write<T>(change: (scope: WriteScope) => T): Promise<T> {
    if (this.lifecycle.type === 'closed') return Promise.reject(new EtcdUnavailableError('the store is closed', 'not-applied'));
    const run = this.lane.then(() => this.commit(change));
    this.lane = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async close(): Promise<void> {
    if (this.lifecycle.type === 'closed') return;
    this.lifecycle = { type: 'closed' };
    this.replica.close();
    await this.watcher?.cancel().catch(() => undefined);
    // The tag is only needed while this store writes; a new open takes a new one.
    await this.client.kv
      .deleteRange({ key: this.layout.writeTag(this.storeId) }, { deadline: Date.now() + 1000 })
      .catch(() => undefined);
    this.client.close();
    this.logger.info('store closed');
  }

  private async commit<T>(change: (scope: WriteScope) => T): Promise<T> {
    const started = performance.now();
    // Every run of this change sent to etcd, by its Txn id. Each Txn compares this store's write
    // tag, so at most one of them is ever applied; the tag's value says which one was.
    const sent = new Map<string, { result: T; callbacks: (() => void)[] }>();
    const unanswered: Unanswered = { since: null, outcome: 'not-applied', backoff: new RetryBackoff() };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const transaction = new EtcdTransaction(this.replica, this.replica.revision);
      const callbacks: (() => void)[] = [];
      const scope: WriteScope = { onCommit: (callback) => void callbacks.push(callback) };
      let result: T;
      this.active = transaction;
      try {
        result = change(scope); // a throw stores nothing: the writes were only buffered
      } finally {
        this.active = null;
      }
      if (!transaction.hasWrites) {
        for (const callback of callbacks) callback();
        return result;
      }
      const id = randomBytes(12).toString('base64url');
      let request: ITxnRequest;
      try {
        request = this.tagged(transaction, id);
      } catch (error) {
        this.timed(true, started);
        throw error;
      }
      sent.set(id, { result, callbacks });
      const response = await this.send(request, unanswered, started);
      if (this.disk.type === 'failing') this.transition({ type: 'writable' });
      const tag = response.succeeded ? { value: id, mod: Number(response.header.revision) } : this.tagOf(response);
      this.tagMod = tag.mod;
      const applied = tag.value === null ? undefined : sent.get(tag.value);
      if (applied) {
        // This Txn, or an earlier run of this change that etcd applied while it did not answer.
        if (!(await this.replica.caughtUp(tag.mod, this.callTimeoutMs))) {
          this.logger.warn({ revision: tag.mod, replica: this.replica.revision }, 'committed, but the watch has not shown the commit yet');
        }
        this.timed(false, started);
        for (const callback of applied.callbacks) callback();
        return applied.result;
      }
      // P/rev's mod revision: the latest commit to the prefix, which the conflicting one is not after.
      const latest = response.responses[0]?.response_range.kvs[0]?.mod_revision ?? response.header.revision;
      this.logger.debug({ attempt, base: transaction.base, latest }, 'conflict: catching up and running the change again');
      await this.replica.caughtUp(Number(latest), this.callTimeoutMs);
    }
    this.timed(true, started);
    throw new EtcdContentionError(this.maxAttempts);
  }

  /**
   * Sends `request`, and sends it again while etcd does not answer (leader lost, deadline, member
   * down), with backoff, until etcd answers or unavailableRetryMs have passed since the write first
   * went unanswered. Resending is safe: the Txn compares the write tag, which any copy that was
   * applied has moved.
   */
  private async send(request: ITxnRequest, unanswered: Unanswered, started: number): Promise<ITxnResponse> {
    for (;;) {
      try {
        return await this.client.kv.txn(request, { deadline: Date.now() + this.callTimeoutMs });
      } catch (error) {
        const failure = etcdFailure(error);
        if (!(failure instanceof EtcdUnavailableError)) {
          this.timed(true, started);
          throw failure;
        }
        if (failure.outcome === 'unknown') unanswered.outcome = 'unknown';
        unanswered.since ??= performance.now();
        this.transition({ type: 'failing', since: this.clock.now(), error: failure });
        const waited = performance.now() - unanswered.since;
        if (waited >= this.unavailableRetryMs || this.lifecycle.type === 'closed') {
          this.timed(true, started);
          throw new EtcdUnavailableError(`${failure.reason}, for ${(waited / 1000).toFixed(1)} s of retries`, unanswered.outcome, {
            cause: error,
          });
        }
        const delay = Math.min(unanswered.backoff.next(), this.unavailableRetryMs - waited);
        this.logger.warn(
          { reason: failure.reason, outcome: failure.outcome, retryInMs: delay },
          'etcd did not take the write: sending it again',
        );
        await sleep(delay);
      }
    }
  }

  /** The Txn of `transaction` with this store's write tag: compared at its last known mod revision, then set to `id`. */
  private tagged(transaction: EtcdTransaction, id: string): ITxnRequest {
    const request = transaction.request(this.layout, this.maxTxnOps - 1);
    const key = this.layout.writeTag(this.storeId);
    return {
      compare: [...(request.compare ?? []), { key, target: 'Mod', result: 'Equal', mod_revision: String(this.tagMod) }],
      success: [...(request.success ?? []), { request_put: { key, value: Buffer.from(id, 'latin1') } }],
      failure: [...(request.failure ?? []), { request_range: { key } }],
    };
  }

  /** The write tag as a failed Txn read it: the id of the last Txn of this store that etcd applied. */
  private tagOf(response: ITxnResponse): { value: string | null; mod: number } {
    const kv = response.responses[1]?.response_range.kvs[0];
    return kv ? { value: kv.value.toString('latin1'), mod: Number(kv.mod_revision) } : { value: null, mod: 0 };
  }

  /** Range-reads the prefix at one revision (paged), then watches it from the next revision. */
  private async load(): Promise<void> {
    const { key, rangeEnd } = this.layout.all;
    let from = key;
    let revision: string | undefined;
    for (;;) {
      const request = { key: from, range_end: rangeEnd, limit: LOAD_PAGE, ...(revision ? { revision } : {}) };
      const page = await this.client.kv
        .range(request, { deadline: Date.now() + this.callTimeoutMs })
        .catch((error: unknown) => {
          throw etcdFailure(error);
        });
      revision ??= page.header.revision;
      for (const kv of page.kvs) this.applyPut(kv);
      if (!page.more || page.kvs.length === 0) break;
      from = Buffer.concat([page.kvs[page.kvs.length - 1]!.key, Buffer.from([0])]);
    }
    this.replica.advance(Number(revision));
    const watcher = await this.client
      .watch()
      .prefix(key)
      .startRevision(String(Number(revision) + 1))
      .create();
    watcher.on('data', (response: IWatchResponse) => this.applyWatch(response));
    watcher.on('disconnected', (error) => this.logger.warn({ err: error }, 'watch disconnected; the client resumes it'));
    watcher.on('error', (error) => this.logger.error({ err: error }, 'watch failed'));
    this.watcher = watcher;
  }

  private applyWatch(response: IWatchResponse): void {
    let revision = 0;
    for (const event of response.events) {
      if (event.type === 'Put') this.applyPut(event.kv);
      else this.applyDelete(event.kv);
      revision = Math.max(revision, Number(event.kv.mod_revision));
    }
    // Not the header's revision: a catching-up watch may send part of what is up to it (etcd's
    // watchBatchMaxRevs), and it counts commits outside the prefix.
    this.replica.advance(revision);
  }

  private applyPut(kv: IKeyValue): void {
    const place = this.layout.parse(kv.key);
    // Delete markers and P/rev are only compared by etcd, never read: the replica keeps records only.
    if (place.type !== 'record') return;
    this.replica.table(place.table).put(place.encoded, { bytes: kv.value, mod: Number(kv.mod_revision) });
  }

  private applyDelete(kv: IKeyValue): void {
    const place = this.layout.parse(kv.key);
    if (place.type === 'record') this.replica.table(place.table).delete(place.encoded);
  }

  private timed(failed: boolean, started: number): void {
    if (this.commitListeners.size === 0) return;
    const seconds = (performance.now() - started) / 1000;
    for (const listener of this.commitListeners) listener(failed, seconds);
  }

  private transition(to: DiskState): void {
    const from = this.disk;
    if (from.type === to.type) return;
    this.disk = to;
    if (to.type === 'failing') this.logger.error({ err: to.error.cause }, `${from.type} -> failing: ${to.error.message}`);
    else this.logger.warn(`${from.type} -> writable: etcd takes commits again`);
    for (const listener of this.listeners) listener(to);
  }
}
