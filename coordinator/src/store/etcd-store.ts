// The fleet on an etcd cluster shared by several coordinators (`--store etcd:...`). Each
// coordinator keeps a replica of the prefix, loaded and followed by etcd-replica-feed.ts.
// `write(change)` runs `change` synchronously against the replica through a transaction that
// records what it reads and buffers what it writes (etcd-transaction.ts), then commits it in ONE
// etcd Txn that compares every read. If another coordinator changed anything the change read, the
// Txn fails; the replica catches up to that commit and `change` runs again, up to maxAttempts
// times. A write resolves once the Txn succeeded (etcd commits on a quorum, durably) and the
// replica shows it, so a read after `await write` sees the write; onCommit callbacks run then.
// The writes of one coordinator go one batch at a time (etcd-write-batch.ts): with batchWrites,
// while one Txn is in flight the next writes gather and the next Txn carries them all, each change
// run after the one before as if alone; without, a batch is one write. After a Txn that carried
// several writes, the next batch gathers for batchGatherMs more before it goes. Either way they
// never conflict with each other, only with other coordinators.
// Every Txn is tagged and sent again while etcd does not answer (etcd-tagged-txn.ts), so it is
// applied at most once and the store learns whether it was. reachability() (for /readyz) is a
// quorum read.
import { randomBytes } from 'node:crypto';
// etcd3 itself is loaded only when open() connects (etcd-client.ts).
import type { Etcd3, ITxnResponse } from 'etcd3';
import { connectEtcd, type EtcdTls } from './etcd-client.js';
import { Packr } from 'msgpackr';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DiskState, DiskStateListener } from './disk-state.js';
import { EtcdContentionError, etcdFailure, EtcdPrefixError, EtcdUnavailableError } from './etcd-errors.js';
import { dropStoredIndexes } from './etcd-derived-indexes.js';
import { EtcdKeyLayout } from './etcd-keys.js';
import { Replica } from './etcd-replica.js';
import { ReplicaFeed, type WatchState } from './etcd-replica-feed.js';
import { EtcdTable, type TableContext } from './etcd-table.js';
import { TaggedTxn, Unanswered } from './etcd-tagged-txn.js';
import { EtcdTransaction } from './etcd-transaction.js';
import { activeFence } from './write-fence.js';
import { runBatch, settle, WriteBatches, type PendingWrite, type WriteOutcome } from './etcd-write-batch.js';
import { ETCD_DERIVED_INDEXES_SINCE, migrate } from './schema.js';
import type { SecretCipher } from './secrets-key.js';
import type { CommitListener, StoreBackend, StoreChangeFeed, TransactionListener, WriteScope } from './store-backend.js';
import type { TableKey } from './table-api.js';
import { openTables, type Tables } from './tables.js';

export type { WatchState } from './etcd-replica-feed.js';

export type { EtcdTls } from './etcd-client.js';

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
  /** Batch this store's concurrent writes into shared Txns (etcd-write-batch.ts). Default true; false: each write its own Txn. */
  readonly batchWrites?: boolean;
  /**
   * With batching, after a Txn that carried several writes (callers are concurrent), how long at
   * most the next batch gathers before it goes (it goes earlier once it holds as many writes as
   * that Txn), so that fewer, larger Txns carry the same writes: each Txn costs every member and
   * every coordinator following the prefix. A lone write on a quiet store goes at once. Default 0
   * here; the coordinator passes --etcd-batch-gather-ms.
   */
  readonly batchGatherMs?: number;
  /**
   * With gathering, where several coordinators write to the prefix (spreadOver): how much longer
   * at most a batch as large as the last one waits for the callers of the last Txn as well, so
   * that one Txn carries them all. Default 0 here; the coordinator passes --etcd-batch-rejoin-ms.
   */
  readonly batchRejoinMs?: number;
  readonly clock?: Clock;
}

const KEY_CHECK = 'secretsKeyCheck';

type Lifecycle = { type: 'open' } | { type: 'closed' };

export class EtcdStore implements StoreBackend {
  readonly tables: Tables;
  private readonly replica = new Replica();
  private readonly packr = new Packr({ useRecords: false });
  private active: EtcdTransaction | null = null;
  private readonly batches: WriteBatches;
  private disk: DiskState = { type: 'writable' };
  private lifecycle: Lifecycle = { type: 'open' };
  private readonly listeners: DiskStateListener[] = [];
  private readonly commitListeners = new Set<CommitListener>();
  private readonly transactionListeners = new Set<TransactionListener>();
  private readonly feed: ReplicaFeed;
  private readonly txn: TaggedTxn;
  private readonly layout: EtcdKeyLayout;
  private readonly logger: Logger;
  private readonly callTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxTxnOps: number;
  private readonly clock: Clock;
  /** Names this open store in the keys of records it appends (etcd-sequenced.ts), beside its run counter. */
  private readonly storeId = randomBytes(9).toString('base64url');
  private runs = 0;

  private constructor(
    /** The etcd client: the coordinator's lease and elections share its connections. */
    readonly client: Etcd3,
    readonly cipher: SecretCipher,
    options: EtcdStoreOptions,
  ) {
    this.layout = new EtcdKeyLayout(options.prefix);
    this.logger = options.logger.child({ component: 'store', backend: 'etcd', prefix: this.layout.prefix });
    this.callTimeoutMs = options.callTimeoutMs ?? 5000;
    this.maxAttempts = options.maxAttempts ?? 32;
    this.maxTxnOps = options.maxTxnOps ?? 128;
    this.clock = options.clock ?? systemClock;
    this.batches = new WriteBatches(
      (batch) => this.commit(batch),
      options.batchWrites === false ? 1 : Number.POSITIVE_INFINITY,
      options.batchGatherMs ?? 0,
      options.batchRejoinMs ?? 0,
    );
    const closed = (): boolean => this.lifecycle.type === 'closed';
    this.feed = new ReplicaFeed({
      client,
      layout: this.layout,
      replica: this.replica,
      decode: (bytes) => this.decode(bytes),
      encode: (value) => this.packr.pack(value),
      callTimeoutMs: this.callTimeoutMs,
      logger: this.logger,
      clock: this.clock,
      closed,
    });
    this.txn = new TaggedTxn({
      client,
      layout: this.layout,
      // Names this open store's write tag (etcd-keys.ts, P/w/<id>).
      storeId: this.storeId,
      callTimeoutMs: this.callTimeoutMs,
      unavailableRetryMs: options.unavailableRetryMs ?? 10_000,
      maxTxnOps: this.maxTxnOps,
      logger: this.logger,
      unanswered: (error) => this.transition({ type: 'failing', since: this.clock.now(), error }),
      closed,
    });
    const context: TableContext = {
      replica: this.replica,
      transaction: () => this.active,
      encode: (value) => this.packr.pack(value),
      decode: (bytes) => this.decode(bytes),
    };
    this.tables = openTables({ openDB: <V, K extends TableKey>({ name }: { name: string }) => new EtcdTable<V, K>(name, context) });
  }

  /** Connects, loads the prefix, follows it, and brings its schema up to date (refusing a newer one or another secrets key). */
  static async open(options: EtcdStoreOptions): Promise<EtcdStore> {
    const client = await connectEtcd(options.endpoints, options.tls);
    const store = new EtcdStore(client, options.cipher, options);
    try {
      await store.feed.load();
      const { from, to } = await store.write(() => {
        const recorded = store.tables.meta.get(KEY_CHECK) as string | undefined;
        if (recorded !== undefined && recorded !== options.cipher.check) {
          throw new EtcdPrefixError(store.layout.prefix, 'its secrets are sealed under another secrets key than this coordinator holds');
        }
        const versions = migrate(store.tables);
        if (recorded === undefined) store.tables.meta.putSync(KEY_CHECK, options.cipher.check);
        return versions;
      });
      if (from > 0 && from < ETCD_DERIVED_INDEXES_SINCE) {
        await dropStoredIndexes(client, store.layout, store.callTimeoutMs);
        store.logger.info('deleted the machine indexes an older layout stored: each coordinator derives them now');
      }
      store.logger.info({ endpoints: options.endpoints, revision: store.replica.revision, schemaFrom: from, schemaTo: to }, 'store opened');
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** Records put by any coordinator, from the watch (etcd-replica-feed.ts). */
  get changes(): StoreChangeFeed {
    return this.feed.changes;
  }

  /** The key prefix of this fleet (no trailing slash); keys outside P/t/, P/d/, P/w/ and P/rev are not records. */
  get keyPrefix(): string {
    return this.layout.prefix;
  }

  /** The etcd revision the replica reflects. */
  get revision(): number {
    return this.replica.revision;
  }

  /** Whether the replica follows etcd, or is being reloaded since its watch was ended. */
  get replicaState(): WatchState {
    return this.feed.state;
  }

  /** How many times the replica was loaded afresh since the store opened (its watch fell behind compaction). */
  get replicaReloads(): number {
    return this.feed.reloads;
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

  /** How many coordinators write to this prefix, this one included (their registry says): batches gather by it. */
  spreadOver(coordinators: number): void {
    this.batches.spreadOver(coordinators);
  }

  /** How many coordinators write to this prefix as last told (spreadOver); 1 until then. */
  get coordinatorsWriting(): number {
    return this.batches.coordinators;
  }

  onTransactionCommitted(listener: TransactionListener): () => void {
    this.transactionListeners.add(listener);
    return () => void this.transactionListeners.delete(listener);
  }

  /**
   * Why the store cannot serve now, or null: a linearizable read (it needs the quorum: etcd
   * answers it only through a leader that a majority follows), and whether the replica follows.
   */
  async reachability(): Promise<string | null> {
    if (this.closed()) return 'the etcd store is closed';
    try {
      await this.latestRevision(Math.min(this.callTimeoutMs, 2000));
    } catch (error) {
      const failure = etcdFailure(error);
      return `etcd store unreachable: ${failure instanceof EtcdUnavailableError ? failure.reason : failure.message}`;
    }
    const state = this.feed.state;
    if (state.type === 'reloading') return `etcd store: reloading its replica (the watch ended: ${state.cause})`;
    return null;
  }

  /** etcd's current revision, as the member asked has applied it (a linearizable read, within `timeoutMs`). */
  async latestRevision(timeoutMs = this.callTimeoutMs): Promise<number> {
    const response = await this.client.kv.range({ key: this.layout.revision, keys_only: true }, { deadline: Date.now() + timeoutMs });
    return Number(response.header.revision);
  }

  /** Compacts etcd's history (the whole cluster's, not only this prefix) up to `revision` (ha/etcd-compaction.ts). */
  async compactHistory(revision: number): Promise<void> {
    await this.client.kv.compact({ revision: String(revision) }, { deadline: Date.now() + this.callTimeoutMs });
  }

  write<T>(change: (scope: WriteScope) => T): Promise<T> {
    if (this.lifecycle.type === 'closed') return Promise.reject(new EtcdUnavailableError('the store is closed', 'not-applied'));
    return new Promise<T>((resolve, reject) => {
      // Taken now, in the caller's async context: a fenced owner's writes carry its fence (write-fence.ts).
      const fence = activeFence();
      this.batches.add({ change, started: performance.now(), resolve: resolve as (value: unknown) => void, reject, fence });
    });
  }

  /**
   * Closes the store. Writes asked for before are committed, or fail, first (a gathering batch goes
   * at once; one etcd does not answer is not sent again), as on LMDB; later writes are refused.
   */
  async close(): Promise<void> {
    if (this.lifecycle.type === 'closed') return;
    this.lifecycle = { type: 'closed' };
    await this.batches.finish();
    this.replica.close();
    await this.feed.close();
    await this.txn.remove();
    this.client.close();
    this.logger.info('store closed');
  }

  /**
   * Commits one batch (etcd-write-batch.ts) and answers its callers; resolves with the writes put
   * off to the next batch (a run takes a prefix of the batch). Each run sent to etcd is kept by its
   * Txn id: each Txn compares this store's write tag, so at most one of them is ever applied, and
   * the tag says which.
   */
  private async commit(batch: readonly PendingWrite[]): Promise<readonly PendingWrite[]> {
    const sent = new Map<string, readonly WriteOutcome[]>();
    const unanswered = new Unanswered();
    let pending = batch;
    // A batch holds writes of one fence only (WriteBatches): all fenced by one owner, or none.
    const fence = batch[0]?.fence;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const transaction = new EtcdTransaction(this.replica, this.replica.revision, `${this.storeId}.${this.runs++}`);
      let outcomes: readonly WriteOutcome[] = [];
      try {
        fence?.check(); // a lost lease sends nothing
        this.active = transaction;
        try {
          // One compare and one write for the tag; a fence adds one compare.
          outcomes = runBatch(transaction, pending, this.maxTxnOps - (fence ? 2 : 1));
        } finally {
          this.active = null;
        }
        pending = outcomes.map((o) => o.write); // what is put off stays put off
        if (!transaction.hasWrites) {
          // Nothing written, but what was read must be current in etcd for the answers to stand
          // (the replica may not have seen another coordinator's commit yet); changes that only
          // threw are answered as they stand.
          const validate = transaction.hasReads && outcomes.some((o) => o.ok);
          const checked = validate ? await this.txn.send(transaction.validation(this.layout, this.maxTxnOps), unanswered) : null;
          if (checked === null || checked.succeeded) return this.answer(batch, outcomes, attempt - 1);
          await this.catchUp(checked, attempt, transaction.base);
          continue;
        }
        const id = this.txn.nextId();
        sent.set(id, outcomes);
        const { outcome, response } = await this.txn.commit(transaction, id, unanswered, fence);
        if (this.disk.type === 'failing') this.transition({ type: 'writable' });
        const applied = outcome.applied === null ? undefined : sent.get(outcome.applied);
        if (applied) {
          // This Txn, or an earlier run of this batch that etcd applied while it did not answer.
          if (!(await this.replica.caughtUp(outcome.revision, this.callTimeoutMs))) {
            this.logger.warn(
              { revision: outcome.revision, replica: this.replica.revision },
              'committed, but the watch has not shown the commit yet',
            );
          }
          if (this.transactionListeners.size > 0) {
            const carried = applied.filter((outcome) => outcome.ok).length;
            for (const listener of this.transactionListeners) listener(carried);
          }
          return this.answer(batch, applied, attempt - 1);
        }
        if (fence) {
          // The fenced Txn's last failure answer reads the owner key: a refusal, not a conflict, if it changed.
          const owner = response.responses[response.responses.length - 1]?.response_range.kvs[0];
          if (owner?.create_revision !== fence.createRevision) {
            throw fence.refused(
              owner ? `its owner key ${fence.key} was taken anew by another coordinator` : `its owner key ${fence.key} is gone`,
            );
          }
        }
        await this.catchUp(response, attempt, transaction.base);
      } catch (error) {
        // etcd refused the Txn (too large), did not answer for unavailableRetryMs, or the fence no
        // longer holds: nothing of this run is known applied.
        this.fail(pending, error, attempt - 1);
        return batch.slice(pending.length);
      }
    }
    this.fail(pending, new EtcdContentionError(this.maxAttempts), this.maxAttempts - 1);
    return batch.slice(pending.length);
  }

  /** A failed Txn's first answer reads P/rev: the latest commit to the prefix, which the conflicting one is not after. */
  private async catchUp(response: ITxnResponse, attempt: number, base: number): Promise<void> {
    const latest = response.responses[0]?.response_range.kvs[0]?.mod_revision ?? response.header.revision;
    this.logger.debug({ attempt, base, latest }, 'conflict: catching up and running the change again');
    await this.replica.caughtUp(Number(latest), this.callTimeoutMs);
  }

  /** Answers the callers of a committed run of `batch` (after `reruns` conflicts); the writes it put off. */
  private answer(batch: readonly PendingWrite[], outcomes: readonly WriteOutcome[], reruns: number): readonly PendingWrite[] {
    // A change that threw committed nothing: it is not a commit to time (as before batching).
    for (const outcome of outcomes) if (outcome.ok) this.timed(false, outcome.write.started, reruns);
    settle(outcomes);
    return batch.slice(outcomes.length);
  }

  private fail(writes: readonly PendingWrite[], error: unknown, reruns: number): void {
    for (const write of writes) {
      this.timed(true, write.started, reruns);
      write.reject(error);
    }
  }

  /**
   * Decodes a record's bytes through a view of its own. msgpackr keeps a DataView on the Buffer it
   * decodes, as a property, and the replica's Buffers live as long as their records: each record
   * read would otherwise carry a DataView and a property array more for good. In 21 s of
   * bench:alloc's open loop on etcd, a replica kept 19,740 DataViews and 22,651 property arrays of
   * the 101,000 objects it kept (2.5 of 6.0 MB; heap snapshots before and after).
   */
  private decode(bytes: Buffer): unknown {
    return this.packr.unpack(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as unknown;
  }

  /** Resolves once the replica shows `revision` (false: not within the call timeout). */
  awaitRevision(revision: number): Promise<boolean> {
    return this.replica.caughtUp(revision, this.callTimeoutMs);
  }

  /** A method, not a field test: close() may run during any await. */
  private closed(): boolean {
    return this.lifecycle.type === 'closed';
  }

  private timed(failed: boolean, started: number, reruns: number): void {
    if (this.commitListeners.size === 0) return;
    const seconds = (performance.now() - started) / 1000;
    for (const listener of this.commitListeners) listener(failed, seconds, reruns);
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
