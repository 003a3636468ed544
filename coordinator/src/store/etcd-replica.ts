// This coordinator's copy of the fleet in etcd: loaded with one range read at a revision, then
// kept current by a watch from the next revision. Each table is a sorted set of encoded keys
// (sorted-keys.ts; latin1 strings, so string order is byte order) beside a map of entries; an
// entry keeps the msgpack bytes (decoded on every read, so no caller can mutate the copy) and its
// mod revision (what an optimistic transaction compares). `revision` is the etcd revision the copy
// reflects: every change to the prefix up to it is applied, none after it.
import { lowerBound, SortedKeys } from './sorted-keys.js';

export interface ReplicaEntry {
  readonly bytes: Buffer;
  readonly mod: number;
  /** A record appended to a sequenced table, filed under its seq: the key it is stored under in etcd (etcd-sequenced.ts). */
  readonly stored?: string;
}

export class ReplicaTable {
  private readonly keys = new SortedKeys();
  private readonly entries = new Map<string, ReplicaEntry>();

  get size(): number {
    return this.keys.size;
  }

  get(encoded: string): ReplicaEntry | undefined {
    return this.entries.get(encoded);
  }

  put(encoded: string, entry: ReplicaEntry): void {
    if (!this.entries.has(encoded)) this.keys.insert(encoded);
    this.entries.set(encoded, entry);
  }

  delete(encoded: string): void {
    if (this.entries.delete(encoded)) this.keys.remove(encoded);
  }

  /** Removes every entry whose key sorts at or before `upper`; how many there were. */
  deleteThrough(upper: string): number {
    const doomed: string[] = [];
    for (const key of this.keys) {
      if (key > upper) break;
      doomed.push(key);
    }
    for (const key of doomed) this.delete(key);
    return doomed.length;
  }

  /** Every entry, in key order. */
  *records(): Generator<[string, ReplicaEntry]> {
    for (const key of this.keys) yield [key, this.entries.get(key)!];
  }

  /** The first key after `from` (at it too when inclusive), or undefined. */
  after(from: string, inclusive: boolean): string | undefined {
    return this.keys.after(from, inclusive);
  }

  /** The last key before `from` (at it too when inclusive; null = from the end), or undefined. */
  before(from: string | null, inclusive: boolean): string | undefined {
    return this.keys.before(from, inclusive);
  }
}

export function sortedAfter(sorted: readonly string[], from: string, inclusive: boolean): string | undefined {
  let i = lowerBound(sorted, from);
  if (!inclusive && sorted[i] === from) i++;
  return sorted[i];
}

export function sortedBefore(sorted: readonly string[], from: string | null, inclusive: boolean): string | undefined {
  if (from === null) return sorted[sorted.length - 1];
  let i = lowerBound(sorted, from); // first >= from
  if (inclusive && sorted[i] === from) return from;
  i--;
  return i >= 0 ? sorted[i] : undefined;
}

interface Waiter {
  readonly revision: number;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

export class Replica {
  private readonly tables = new Map<string, ReplicaTable>();
  private readonly waiters = new Set<Waiter>();
  private current = 0;

  get revision(): number {
    return this.current;
  }

  table(name: string): ReplicaTable {
    let table = this.tables.get(name);
    if (!table) {
      table = new ReplicaTable();
      this.tables.set(name, table);
    }
    return table;
  }

  /** Every table at once, loaded afresh at `revision` (a reload after the watch lost its place). */
  replace(tables: ReadonlyMap<string, ReplicaTable>, revision: number): void {
    this.tables.clear();
    for (const [name, table] of tables) this.tables.set(name, table);
    this.advance(revision);
  }

  /** Every change up to `revision` is applied: wake whoever waits for it. */
  advance(revision: number): void {
    if (revision <= this.current) return;
    this.current = revision;
    for (const waiter of this.waiters) {
      if (waiter.revision <= revision) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve(true);
      }
    }
  }

  /** Resolves true once the replica reflects `revision`, false if `timeoutMs` passes first. */
  caughtUp(revision: number, timeoutMs: number): Promise<boolean> {
    if (revision <= this.current) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        revision,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      waiter.timer.unref();
      this.waiters.add(waiter);
    });
  }

  /** Releases every waiter (the store is closing). */
  close(): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiters.clear();
  }
}
