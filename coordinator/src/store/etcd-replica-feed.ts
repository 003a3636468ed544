// Loads the etcd store's replica (etcd-replica.ts) and keeps it current: one paged range read of
// the prefix at one revision, then a watch from the next. The watch also feeds the store's change
// feed (records put by any coordinator, e.g. events, which drive the token cache, revocations and
// WatchEvents), after the replica shows them. When etcd ends the watch (it must resume from a
// revision compacted away), the replica is loaded afresh, what it missed is fed, and `reloads`
// counts it. The machine indexes are not read from etcd but derived from the machine records as
// they are loaded and watched (etcd-derived-indexes.ts).
import type { Etcd3, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { DerivedIndexes, DERIVED_TABLES, MACHINES_TABLE } from './etcd-derived-indexes.js';
import { etcdFailure } from './etcd-errors.js';
import { encodeKey, type EtcdKeyLayout } from './etcd-keys.js';
import { ReplicaTable, type Replica, type ReplicaEntry } from './etcd-replica.js';
import { RetryBackoff, sleep } from './etcd-retry.js';
import { fileSequenced, SEQUENCED_TABLES } from './etcd-sequenced.js';
import type { StoreChangeFeed } from './store-backend.js';
import { EVENTS_PRUNED_THROUGH } from './tables.js';

const META_TABLE = 'meta';
const EVENTS_TABLE = 'events';
/** The floor's record in the meta table, encoded as the replica files keys. */
const PRUNED_THROUGH_KEY = encodeKey(EVENTS_PRUNED_THROUGH);

/** Keys per page of the initial range read (one gRPC answer stays well under 4 MiB). */
const LOAD_PAGE = 2000;

export type WatchState = { type: 'following' } | { type: 'reloading'; since: number; cause: string };

export interface ReplicaFeedOptions {
  readonly client: Etcd3;
  readonly layout: EtcdKeyLayout;
  readonly replica: Replica;
  readonly decode: (bytes: Buffer) => unknown;
  /** Re-encodes an appended record with the seq its commit gave it (etcd-sequenced.ts). */
  readonly encode: (value: unknown) => Buffer;
  readonly callTimeoutMs: number;
  readonly logger: Logger;
  readonly clock: Clock;
  /** A method, not a flag: the store may close during any await. */
  readonly closed: () => boolean;
}

export class ReplicaFeed {
  private watcher: Watcher | null = null;
  /** Following: the watch is live; reloading: etcd ended it and the replica is being loaded afresh. */
  private watchState: WatchState = { type: 'following' };
  private reloadCount = 0;
  /** Derives the machine indexes of the replica's tables; null until the first load. */
  private derived: DerivedIndexes | null = null;
  /** The change feed's listeners, by table. */
  private readonly feeds = new Map<string, Set<(value: unknown) => void>>();
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

  constructor(private readonly options: ReplicaFeedOptions) {}

  get state(): WatchState {
    return this.watchState;
  }

  get reloads(): number {
    return this.reloadCount;
  }

  /** Range-reads the prefix at one revision, then follows it from the next. */
  async load(): Promise<void> {
    const { tables, revision, derived } = await this.readPrefix();
    this.options.replica.replace(tables, revision);
    this.derived = derived;
    await this.follow(revision + 1);
  }

  async close(): Promise<void> {
    await this.watcher?.cancel().catch(() => undefined);
  }

  /** Every record of the prefix at one revision (paged), as fresh replica tables, the machine indexes derived. */
  private async readPrefix(): Promise<{ tables: Map<string, ReplicaTable>; revision: number; derived: DerivedIndexes }> {
    const { client, layout, callTimeoutMs } = this.options;
    const { key, rangeEnd } = layout.all;
    const tables = new Map<string, ReplicaTable>();
    let from = key;
    let revision: string | undefined;
    for (;;) {
      const request = { key: from, range_end: rangeEnd, limit: LOAD_PAGE, ...(revision ? { revision } : {}) };
      const page = await client.kv.range(request, { deadline: Date.now() + callTimeoutMs }).catch((error: unknown) => {
        throw etcdFailure(error);
      });
      revision ??= page.header.revision;
      for (const kv of page.kvs) {
        const place = layout.parse(kv.key);
        // Delete markers, P/rev and write tags are only compared by etcd, never read: the replica
        // keeps records only, and not the index records an older layout stored (it derives them).
        if (place.type !== 'record' || DERIVED_TABLES.has(place.table)) continue;
        let table = tables.get(place.table);
        if (!table) {
          table = new ReplicaTable();
          tables.set(place.table, table);
        }
        const mod = Number(kv.mod_revision);
        const filed = this.file(place.table, place.encoded, mod, kv.value);
        table.put(filed.encoded, filed.entry);
      }
      if (!page.more || page.kvs.length === 0) break;
      from = Buffer.concat([page.kvs[page.kvs.length - 1]!.key, Buffer.from([0])]);
    }
    const derived = new DerivedIndexes(tables, this.options);
    for (const [encoded, entry] of tables.get(MACHINES_TABLE)?.records() ?? []) this.derive(derived, encoded, entry.bytes);
    return { tables, revision: Number(revision), derived };
  }

  /** Watches the prefix from `revision`. The client resumes a dropped watch itself; one etcd cancels (compacted past it) reloads. */
  private async follow(revision: number): Promise<void> {
    const watcher = await this.options.client.watch().prefix(this.options.layout.all.key).startRevision(String(revision)).create();
    watcher.on('data', (response: IWatchResponse) => this.applyWatch(response));
    watcher.on('disconnected', (error) => this.options.logger.warn({ err: error }, 'watch disconnected; the client resumes it'));
    watcher.on('error', (error) => this.watchLost(watcher, error));
    this.watcher = watcher;
    if (this.options.closed()) await watcher.cancel().catch(() => undefined);
  }

  /**
   * etcd ended the watch: most often because the revision it was to resume from was compacted
   * away while it was down ("required revision has been compacted"), so the changes in between
   * can no longer be replayed. The replica is loaded afresh and followed from there.
   */
  private watchLost(watcher: Watcher, error: Error): void {
    if (this.watcher !== watcher || this.options.closed()) return;
    this.watcher = null;
    this.watchState = { type: 'reloading', since: this.options.clock.now(), cause: error.message };
    this.options.logger.warn(
      { err: error, revision: this.options.replica.revision },
      'watch ended (compacted past it?): reloading the replica',
    );
    this.reload().catch((failure: unknown) => this.options.logger.error({ err: failure }, 'reloading the replica failed'));
  }

  private async reload(): Promise<void> {
    const backoff = new RetryBackoff(200, 5000);
    while (!this.options.closed()) {
      try {
        const { tables, revision, derived } = await this.readPrefix();
        if (this.options.closed()) return;
        const missed = this.missedPuts(tables);
        const before = this.options.replica.revision;
        this.options.replica.replace(tables, revision);
        this.derived = derived;
        this.reloadCount++;
        this.watchState = { type: 'following' };
        this.options.logger.warn({ from: before, to: revision, reloads: this.reloadCount }, 'replica reloaded');
        this.notify(missed);
        await this.follow(revision + 1);
        return;
      } catch (error) {
        const delay = backoff.next();
        this.options.logger.warn({ err: error, retryInMs: delay }, 'reloading the replica: etcd did not answer; trying again');
        await sleep(delay);
      }
    }
  }

  /** Records a reload brings that the replica has not seen (put after its revision), in commit order, for the change feed. */
  private missedPuts(tables: ReadonlyMap<string, ReplicaTable>): [string, Buffer][] {
    const since = this.options.replica.revision;
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
      const value = this.options.decode(bytes);
      for (const listener of listeners) {
        try {
          listener(value);
        } catch (error) {
          // Never into the watch's event loop: one listener's bug must not stop the replica.
          this.options.logger.error({ err: error, table }, 'a change feed listener failed');
        }
      }
    }
  }

  private applyWatch(response: IWatchResponse): void {
    let revision = 0;
    const puts: [string, Buffer][] = [];
    for (const event of response.events) {
      if (event.type === 'Put') {
        const put = this.applyPut(event.kv);
        if (put !== null && this.feeds.has(put.table)) puts.push([put.table, put.bytes]);
      } else this.applyDelete(event.kv);
      revision = Math.max(revision, Number(event.kv.mod_revision));
    }
    // Not the header's revision: a catching-up watch may send part of what is up to it (etcd's
    // watchBatchMaxRevs), and it counts commits outside the prefix.
    this.options.replica.advance(revision);
    this.notify(puts);
  }

  /** Applies one watched put to the replica; the record's table and bytes as filed, or null when the key is not a record. */
  private applyPut(kv: IKeyValue): { table: string; bytes: Buffer } | null {
    const place = this.options.layout.parse(kv.key);
    if (place.type !== 'record' || DERIVED_TABLES.has(place.table)) return null;
    const mod = Number(kv.mod_revision);
    const { encoded, entry } = this.file(place.table, place.encoded, mod, kv.value);
    this.options.replica.table(place.table).put(encoded, entry);
    if (place.table === MACHINES_TABLE && this.derived) this.derive(this.derived, encoded, entry.bytes);
    else if (place.table === META_TABLE && encoded === PRUNED_THROUGH_KEY) this.trimPruned(entry.bytes);
    return { table: place.table, bytes: entry.bytes };
  }

  /**
   * The event log's floor moved (events/event-retention.ts): drops the events at or below it. The
   * Txn that moved it deleted their stored keys, but an appended event's delete names that key,
   * not the seq the replica files it under, so the floor is what removes them here.
   */
  private trimPruned(floorBytes: Buffer): void {
    const floor = this.options.decode(floorBytes);
    if (typeof floor === 'number') this.options.replica.table(EVENTS_TABLE).deleteThrough(encodeKey(floor));
  }

  /** Derives a machine record's index entries; a record they cannot be derived from is logged, never thrown into the watch. */
  private derive(derived: DerivedIndexes, encoded: string, bytes: Buffer): void {
    try {
      derived.put(encoded, bytes);
    } catch (error) {
      this.options.logger.error({ err: error, machine: encoded }, 'a machine record the indexes cannot be derived from: left out of them');
    }
  }

  /** Where the replica keeps a record, and its entry: an appended one of a sequenced table under the seq its commit gave it. */
  private file(table: string, encoded: string, mod: number, bytes: Buffer): { encoded: string; entry: ReplicaEntry } {
    if (!SEQUENCED_TABLES.has(table)) return { encoded, entry: { bytes, mod } };
    const filed = fileSequenced(encoded, mod, bytes, this.options);
    const entry = filed.stored === undefined ? { bytes: filed.bytes, mod } : { bytes: filed.bytes, mod, stored: filed.stored };
    return { encoded: filed.encoded, entry };
  }

  private applyDelete(kv: IKeyValue): void {
    const place = this.options.layout.parse(kv.key);
    if (place.type !== 'record' || DERIVED_TABLES.has(place.table)) return;
    this.options.replica.table(place.table).delete(place.encoded);
    if (place.table === MACHINES_TABLE) this.derived?.delete(place.encoded);
  }
}
