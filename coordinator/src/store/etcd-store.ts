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
// The watch also feeds `changes` (records put by any coordinator, e.g. events, which drive the
// token cache, revocations and WatchEvents here). When etcd ends the watch (it must resume from a
// revision compacted away), the replica is loaded afresh, what it missed is fed, and
// replicaReloads counts it. reachability() (for /readyz) is a quorum read.
import { randomBytes } from 'node:crypto';
import { Etcd3, type IKeyValue, type ITxnRequest, type ITxnResponse, type IWatchResponse, type Watcher } from 'etcd3';
import { Packr } from 'msgpackr';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DiskState, DiskStateListener } from './disk-state.js';
import { EtcdContentionError, etcdFailure, EtcdPrefixError, EtcdUnavailableError } from './etcd-errors.js';
import { EtcdKeyLayout } from './etcd-keys.js';
import { Replica, ReplicaTable } from './etcd-replica.js';
import { EtcdTable, type TableContext } from './etcd-table.js';
import { RetryBackoff, sleep } from './etcd-retry.js';
import { EtcdTransaction, fenceCompare } from './etcd-transaction.js';
import { activeFence, type WriteFence } from './write-fence.js';
import { migrate } from './schema.js';
import type { SecretCipher } from './secrets-key.js';
import type { CommitListener, StoreBackend, StoreChangeFeed, WriteScope } from './store-backend.js';
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

export type WatchState = { type: 'following' } | { type: 'reloading'; since: number; cause: string };

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
  /** The change feed's listeners, by table. */
  private readonly feeds = new Map<string, Set<(value: unknown) => void>>();
  /** Following: the watch is live; reloading: etcd ended it and the replica is being loaded afresh. */
  private watchState: WatchState = { type: 'following' };
  private reloadCount = 0;
  readonly changes: StoreChangeFeed = {
    onPut: (table, listener) => {
      let listeners = this.feeds.get(table);
      if (!listeners) {
        listeners = new Set();
        this.feeds.set(table, listeners);
      }
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
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
    /** The etcd client: the coordinator's lease and elections share its connections. */
    readonly client: Etcd3,
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
    return this.watchState;
  }

  /** How many times the replica was loaded afresh since the store opened (its watch fell behind compaction). */
  get replicaReloads(): number {
    return this.reloadCount;
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

  /**
   * Why the store cannot serve now, or null: a linearizable read (it needs the quorum: etcd
   * answers it only through a leader that a majority follows), and whether the replica follows.
   */
  async reachability(): Promise<string | null> {
    if (this.closed()) return 'the etcd store is closed';
    const deadline = Date.now() + Math.min(this.callTimeoutMs, 2000);
    try {
      await this.client.kv.range({ key: this.layout.revision, keys_only: true }, { deadline });
    } catch (error) {
      const failure = etcdFailure(error);
      return `etcd store unreachable: ${failure instanceof EtcdUnavailableError ? failure.reason : failure.message}`;
    }
    if (this.watchState.type === 'reloading') return `etcd store: reloading its replica (the watch ended: ${this.watchState.cause})`;
    return null;
  }

  write<T>(change: (scope: WriteScope) => T): Promise<T> {
    if (this.lifecycle.type === 'closed') return Promise.reject(new EtcdUnavailableError('the store is closed', 'not-applied'));
    // Taken now, in the caller's async context: a fenced owner's writes carry its fence (write-fence.ts).
    const fence = activeFence();
    const run = this.lane.then(() => this.commit(change, fence));
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
    await this.client.kv.deleteRange({ key: this.layout.writeTag(this.storeId) }, { deadline: Date.now() + 1000 }).catch(() => undefined);
    this.client.close();
    this.logger.info('store closed');
  }

  /** Resolves once the replica shows `revision` (false: not within the call timeout). */
  awaitRevision(revision: number): Promise<boolean> {
    return this.replica.caughtUp(revision, this.callTimeoutMs);
  }

  private async commit<T>(change: (scope: WriteScope) => T, fence: WriteFence | undefined): Promise<T> {
    const started = performance.now();
    // Every run of this change sent to etcd, by its Txn id. Each Txn compares this store's write
    // tag, so at most one of them is ever applied; the tag's value says which one was.
    const sent = new Map<string, { result: T; callbacks: (() => void)[] }>();
    const unanswered: Unanswered = { since: null, outcome: 'not-applied', backoff: new RetryBackoff() };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const transaction = new EtcdTransaction(this.replica, this.replica.revision);
      const callbacks: (() => void)[] = [];
      try {
        fence?.check(); // a lost lease sends nothing
      } catch (error) {
        this.timed(true, started);
        throw error;
      }
      const scope: WriteScope = { onCommit: (callback) => void callbacks.push(callback) };
      let result: T;
      this.active = transaction;
      try {
        result = change(scope); // a throw stores nothing: the writes were only buffered
      } finally {
        this.active = null;
      }
      if (!transaction.hasWrites) {
        // A change that wrote nothing still read: its answer stands only if those reads are current
        // in etcd (the replica may not have seen another coordinator's commit yet).
        const checked = transaction.hasReads
          ? await this.send(transaction.validation(this.layout, this.maxTxnOps), unanswered, started)
          : null;
        if (checked === null || checked.succeeded) {
          for (const callback of callbacks) callback();
          return result;
        }
        const latest = checked.responses[0]?.response_range.kvs[0]?.mod_revision ?? checked.header.revision;
        await this.replica.caughtUp(Number(latest), this.callTimeoutMs);
        continue;
      }
      const id = randomBytes(12).toString('base64url');
      let request: ITxnRequest;
      try {
        request = this.tagged(transaction, id, fence);
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
      const owner = fence ? response.responses[2]?.response_range.kvs[0] : undefined;
      if (fence && owner?.create_revision !== fence.createRevision) {
        this.timed(true, started);
        throw fence.refused(
          owner ? `its owner key ${fence.key} was taken anew by another coordinator` : `its owner key ${fence.key} is gone`,
        );
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
  private tagged(transaction: EtcdTransaction, id: string, fence: WriteFence | undefined): ITxnRequest {
    const request = transaction.request(this.layout, this.maxTxnOps - (fence ? 2 : 1));
    const key = this.layout.writeTag(this.storeId);
    const tagged: ITxnRequest = {
      compare: [...(request.compare ?? []), { key, target: 'Mod', result: 'Equal', mod_revision: String(this.tagMod) }],
      success: [...(request.success ?? []), { request_put: { key, value: Buffer.from(id, 'latin1') } }],
      failure: [...(request.failure ?? []), { request_range: { key } }],
    };
    if (!fence) return tagged;
    // Fenced: also the owner key (failure reads it, to tell a refusal from a conflict).
    tagged.compare!.push(fenceCompare(fence));
    tagged.failure!.push({ request_range: { key: Buffer.from(fence.key, 'latin1') } });
    return tagged;
  }

  /** The write tag as a failed Txn read it: the id of the last Txn of this store that etcd applied. */
  private tagOf(response: ITxnResponse): { value: string | null; mod: number } {
    const kv = response.responses[1]?.response_range.kvs[0];
    return kv ? { value: kv.value.toString('latin1'), mod: Number(kv.mod_revision) } : { value: null, mod: 0 };
  }

  /** Range-reads the prefix at one revision, then follows it from the next. */
  private async load(): Promise<void> {
    const { tables, revision } = await this.readPrefix();
    this.replica.replace(tables, revision);
    await this.follow(revision + 1);
  }

  /** Every record of the prefix at one revision (paged), as fresh replica tables. */
  private async readPrefix(): Promise<{ tables: Map<string, ReplicaTable>; revision: number }> {
    const { key, rangeEnd } = this.layout.all;
    const tables = new Map<string, ReplicaTable>();
    let from = key;
    let revision: string | undefined;
    for (;;) {
      const request = { key: from, range_end: rangeEnd, limit: LOAD_PAGE, ...(revision ? { revision } : {}) };
      const page = await this.client.kv.range(request, { deadline: Date.now() + this.callTimeoutMs }).catch((error: unknown) => {
        throw etcdFailure(error);
      });
      revision ??= page.header.revision;
      for (const kv of page.kvs) {
        const place = this.layout.parse(kv.key);
        // Delete markers, P/rev and write tags are only compared by etcd, never read: the replica keeps records only.
        if (place.type !== 'record') continue;
        let table = tables.get(place.table);
        if (!table) {
          table = new ReplicaTable();
          tables.set(place.table, table);
        }
        table.put(place.encoded, { bytes: kv.value, mod: Number(kv.mod_revision) });
      }
      if (!page.more || page.kvs.length === 0) break;
      from = Buffer.concat([page.kvs[page.kvs.length - 1]!.key, Buffer.from([0])]);
    }
    return { tables, revision: Number(revision) };
  }

  /** Watches the prefix from `revision`. The client resumes a dropped watch itself; one etcd cancels (compacted past it) reloads. */
  private async follow(revision: number): Promise<void> {
    const watcher = await this.client.watch().prefix(this.layout.all.key).startRevision(String(revision)).create();
    watcher.on('data', (response: IWatchResponse) => this.applyWatch(response));
    watcher.on('disconnected', (error) => this.logger.warn({ err: error }, 'watch disconnected; the client resumes it'));
    watcher.on('error', (error) => this.watchLost(watcher, error));
    this.watcher = watcher;
    if (this.closed()) await watcher.cancel().catch(() => undefined);
  }

  /**
   * etcd ended the watch: most often because the revision it was to resume from was compacted
   * away while it was down ("required revision has been compacted"), so the changes in between
   * can no longer be replayed. The replica is loaded afresh and followed from there.
   */
  private watchLost(watcher: Watcher, error: Error): void {
    if (this.watcher !== watcher || this.lifecycle.type === 'closed') return;
    this.watcher = null;
    this.watchState = { type: 'reloading', since: this.clock.now(), cause: error.message };
    this.logger.warn({ err: error, revision: this.replica.revision }, 'watch ended (compacted past it?): reloading the replica');
    this.reload().catch((failure: unknown) => this.logger.error({ err: failure }, 'reloading the replica failed'));
  }

  private async reload(): Promise<void> {
    const backoff = new RetryBackoff(200, 5000);
    while (this.lifecycle.type === 'open') {
      try {
        const { tables, revision } = await this.readPrefix();
        if (this.closed()) return;
        const missed = this.missedPuts(tables);
        const before = this.replica.revision;
        this.replica.replace(tables, revision);
        this.reloadCount++;
        this.watchState = { type: 'following' };
        this.logger.warn({ from: before, to: revision, reloads: this.reloadCount }, 'replica reloaded');
        this.notify(missed);
        await this.follow(revision + 1);
        return;
      } catch (error) {
        const delay = backoff.next();
        this.logger.warn({ err: error, retryInMs: delay }, 'reloading the replica: etcd did not answer; trying again');
        await sleep(delay);
      }
    }
  }

  /** Records a reload brings that the replica has not seen (put after its revision), in commit order, for the change feed. */
  private missedPuts(tables: ReadonlyMap<string, ReplicaTable>): [string, Buffer][] {
    const since = this.replica.revision;
    const missed: { table: string; bytes: Buffer; mod: number }[] = [];
    for (const table of this.feeds.keys()) {
      for (const [, entry] of tables.get(table)?.records() ?? []) if (entry.mod > since) missed.push({ table, ...entry });
    }
    return missed.sort((a, b) => a.mod - b.mod).map((m) => [m.table, m.bytes]);
  }

  /** Tells the change feed's listeners of records put (after the replica shows them). */
  private notify(puts: readonly [string, Buffer][]): void {
    for (const [table, bytes] of puts) {
      const listeners = this.feeds.get(table);
      if (!listeners || listeners.size === 0) continue;
      const value = this.packr.unpack(bytes) as unknown;
      for (const listener of listeners) {
        try {
          listener(value);
        } catch (error) {
          // Never into the watch's event loop: one listener's bug must not stop the replica.
          this.logger.error({ err: error, table }, 'a change feed listener failed');
        }
      }
    }
  }

  private applyWatch(response: IWatchResponse): void {
    let revision = 0;
    const puts: [string, Buffer][] = [];
    for (const event of response.events) {
      if (event.type === 'Put') {
        const table = this.applyPut(event.kv);
        if (table !== null && this.feeds.has(table)) puts.push([table, event.kv.value]);
      } else this.applyDelete(event.kv);
      revision = Math.max(revision, Number(event.kv.mod_revision));
    }
    // Not the header's revision: a catching-up watch may send part of what is up to it (etcd's
    // watchBatchMaxRevs), and it counts commits outside the prefix.
    this.replica.advance(revision);
    this.notify(puts);
  }

  /** Applies one watched put to the replica; the record's table, or null when the key is not a record. */
  private applyPut(kv: IKeyValue): string | null {
    const place = this.layout.parse(kv.key);
    if (place.type !== 'record') return null;
    this.replica.table(place.table).put(place.encoded, { bytes: kv.value, mod: Number(kv.mod_revision) });
    return place.table;
  }

  private applyDelete(kv: IKeyValue): void {
    const place = this.layout.parse(kv.key);
    if (place.type === 'record') this.replica.table(place.table).delete(place.encoded);
  }

  /** A method, not a field test: close() may run during any await. */
  private closed(): boolean {
    return this.lifecycle.type === 'closed';
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
