// One optimistic run of a change against the replica (etcd-replica.ts). Reads record what they
// saw: a point read its key's mod revision (0 when absent), a range read the key interval it
// walked. Writes are buffered, and reads inside the change see them. The commit is one etcd Txn:
// compare every read, then apply every write. etcd (api/v3rpc) evaluates all compares and the
// writes at one revision, so the Txn succeeds only if nothing the change read has moved since the
// replica's revision: the change then ran on what etcd holds, as if alone (serializable).
//
// Compares, per read:
//   point read   key mod_revision == recorded (0 matches an absent key: etcd compares a missing key
//                as a zero KeyValue)
//   range read   every key in [lo, hi) has mod_revision < base + 1 (catches a key added or changed)
//                and the table's delete marker has mod_revision < base + 1 (catches a key removed)
// The machine indexes (DERIVED_TABLES, etcd-derived-indexes.ts) are not in etcd: a change's writes
// to them stay here, for its own reads, and are never sent; its reads of them are never compared
// (what it relies on there it relies on through the machine record it reads, which is).
// etcd refuses a Txn with more than --max-txn-ops compares or writes (128 by default). Past that
// the reads of each table are widened into one range over all of them (a sound over-approximation:
// it can only add conflicts); writes are never split, since one Txn is what makes them atomic.
// Several changes of one coordinator may share one transaction (etcd-write-batch.ts), each after
// the other as if alone: mark() before a change, and rollback() undoes what it wrote (and read)
// since, when it throws or would not fit in the Txn.
import type { ICompare, IRequestOp, ITxnRequest } from 'etcd3';
import { EtcdTransactionTooLargeError } from './etcd-errors.js';
import { DERIVED_TABLES } from './etcd-derived-indexes.js';
import { appendedKey } from './etcd-sequenced.js';
import { justAfter, type EtcdKeyLayout } from './etcd-keys.js';
import { sortedAfter, sortedBefore, type Replica } from './etcd-replica.js';
import { lowerBound } from './sorted-keys.js';
import type { WriteFence } from './write-fence.js';

/** A walked interval of encoded keys: lo inclusive, hi exclusive, null = to the table's end. */
export interface RangeRead {
  lo: string;
  hi: string | null;
}

/** One step to undo: a buffered write's previous state (undefined: none), a point read, or a range read. */
type Undo =
  | { readonly type: 'write'; readonly table: string; readonly encoded: string; readonly previous: Buffer | null | undefined }
  | { readonly type: 'point'; readonly table: string; readonly encoded: string }
  | { readonly type: 'range'; readonly table: string };

/** Where a change started in its transaction (mark), to undo back to. */
export interface TransactionMark {
  readonly journal: number;
  readonly appended: number;
}

class BufferedWrites {
  readonly sorted: string[] = [];
  /** Encoded key -> new msgpack bytes, or null for a removal. */
  readonly values = new Map<string, Buffer | null>();

  set(encoded: string, bytes: Buffer | null): void {
    if (!this.values.has(encoded)) this.sorted.splice(lowerBound(this.sorted, encoded), 0, encoded);
    this.values.set(encoded, bytes);
  }

  unset(encoded: string): void {
    if (!this.values.delete(encoded)) return;
    this.sorted.splice(lowerBound(this.sorted, encoded), 1);
  }

  /** Puts back what `encoded` held before (undefined: nothing buffered). */
  restore(encoded: string, previous: Buffer | null | undefined): void {
    if (previous === undefined) this.unset(encoded);
    else this.set(encoded, previous);
  }
}

export class EtcdTransaction {
  private readonly points = new Map<string, Map<string, number>>();
  private readonly ranges = new Map<string, RangeRead[]>();
  private readonly writes = new Map<string, BufferedWrites>();
  /** What to undo back to a mark, oldest first; only kept while a mark may be rolled back to. */
  private readonly journal: Undo[] = [];
  /** Records appended so far (appendSequenced): the next one's place in this Txn. */
  private appended = 0;

  constructor(
    private readonly replica: Replica,
    /** The replica revision every read of this run saw. */
    readonly base: number,
    /** Names this run among every run of every store (appended records' keys); null: it appends nothing. */
    private readonly writer: string | null = null,
  ) {}

  /** The bytes `change` sees at `encoded` (its own writes first), recording the read. */
  get(table: string, encoded: string): Buffer | undefined {
    const buffered = this.writes.get(table)?.values.get(encoded);
    if (buffered !== undefined) return buffered ?? undefined;
    const entry = this.replica.table(table).get(encoded);
    if (!DERIVED_TABLES.has(table)) this.recordPoint(table, encoded, entry?.mod ?? 0);
    return entry?.bytes;
  }

  put(table: string, encoded: string, bytes: Buffer): void {
    this.bufferWrite(table, encoded, bytes);
  }

  /**
   * Appends `bytes` to a sequenced table without reading its tail (etcd-sequenced.ts): a blind put
   * no other write conflicts with, numbered by the revision this Txn commits at.
   */
  appendSequenced(table: string, bytes: Buffer): void {
    if (this.writer === null) throw new Error('this transaction does not append sequenced records');
    this.bufferWrite(table, appendedKey(this.writer, this.appended), bytes);
    this.appended++;
  }

  /** Removes `encoded`; true when there was something to remove (the answer is a read, so it is recorded). */
  remove(table: string, encoded: string): boolean {
    const filed = this.writes.get(table)?.values.has(encoded) ? undefined : this.replica.table(table).get(encoded);
    if (filed?.stored !== undefined) {
      // An appended record, filed under its seq: its key in etcd is the one it was stored under,
      // compared on the revision that stored it. This change still reads it under its seq (as it
      // stands in the replica); the replica drops it once the log's floor passes it.
      this.recordPoint(table, filed.stored, filed.mod);
      this.bufferWrite(table, filed.stored, null);
      return true;
    }
    const existed = this.get(table, encoded) !== undefined;
    if (this.replica.table(table).get(encoded)) this.bufferWrite(table, encoded, null);
    else if (this.writes.get(table)?.values.has(encoded)) this.bufferWrite(table, encoded, undefined);
    return existed;
  }

  /** Starts recording a range read; the caller widens it as it walks. A derived table's is not recorded. */
  recordRange(table: string, read: RangeRead): RangeRead {
    if (DERIVED_TABLES.has(table)) return read;
    let list = this.ranges.get(table);
    if (!list) {
      list = [];
      this.ranges.set(table, list);
    }
    list.push(read);
    this.journal.push({ type: 'range', table });
    return read;
  }

  /** Where the next change starts: rollback(mark) undoes everything from here. */
  mark(): TransactionMark {
    return { journal: this.journal.length, appended: this.appended };
  }

  /**
   * Undoes what was written since `mark`, and with `reads` also what was read (a change put off to
   * the next Txn); the reads of a change that threw stay, so its error stands only if they do.
   */
  rollback(mark: TransactionMark, reads: boolean): void {
    const kept: Undo[] = [];
    for (let i = this.journal.length - 1; i >= mark.journal; i--) {
      const undo = this.journal[i]!;
      if (undo.type === 'write') this.writes.get(undo.table)!.restore(undo.encoded, undo.previous);
      else if (!reads) kept.push(undo);
      else if (undo.type === 'point') this.points.get(undo.table)!.delete(undo.encoded);
      else this.ranges.get(undo.table)!.pop();
    }
    this.journal.length = mark.journal;
    this.journal.push(...kept.reverse());
    this.appended = mark.appended;
  }

  /** Whether the Txn fits `maxOps` compares and `maxOps` writes (request() with the same maxOps), reads not widened. */
  fits(maxOps: number): boolean {
    let success = 1; // P/rev
    for (const [table, writes] of this.writes) {
      if (DERIVED_TABLES.has(table)) continue;
      success += writes.values.size;
      for (const bytes of writes.values.values()) {
        if (bytes === null) {
          success++; // the table's delete marker
          break;
        }
      }
    }
    if (success > maxOps) return false;
    let compare = 0;
    for (const points of this.points.values()) compare += points.size;
    for (const ranges of this.ranges.values()) if (ranges.length > 0) compare += ranges.length + 1; // and the table's delete marker
    return compare <= maxOps;
  }

  /** The next live key after `from` (at it too when inclusive) as `change` sees it: replica and buffered writes merged. */
  after(table: string, from: string, inclusive: boolean): string | undefined {
    const replica = this.replica.table(table);
    const buffered = this.writes.get(table);
    let cursor = from;
    let include = inclusive;
    for (;;) {
      const a = replica.after(cursor, include);
      const b = buffered ? sortedAfter(buffered.sorted, cursor, include) : undefined;
      const next = a === undefined ? b : b === undefined ? a : a < b ? a : b;
      if (next === undefined) return undefined;
      if (buffered?.values.get(next) !== null) return next; // not removed by this change
      cursor = next;
      include = false;
    }
  }

  /** The same, walking down; `from` null starts at the end. */
  before(table: string, from: string | null, inclusive: boolean): string | undefined {
    const replica = this.replica.table(table);
    const buffered = this.writes.get(table);
    let cursor = from;
    let include = inclusive;
    for (;;) {
      const a = replica.before(cursor, include);
      const b = buffered ? sortedBefore(buffered.sorted, cursor, include) : undefined;
      const next = a === undefined ? b : b === undefined ? a : a > b ? a : b;
      if (next === undefined) return undefined;
      if (buffered?.values.get(next) !== null) return next;
      cursor = next;
      include = false;
    }
  }

  /** The bytes at a key `after`/`before` returned, without recording a point read (the range read covers it). */
  peek(table: string, encoded: string): Buffer | undefined {
    const buffered = this.writes.get(table)?.values.get(encoded);
    if (buffered !== undefined) return buffered ?? undefined;
    return this.replica.table(table).get(encoded)?.bytes;
  }

  get hasReads(): boolean {
    return this.points.size > 0 || this.ranges.size > 0;
  }

  /**
   * A Txn that only checks the reads (a change that wrote nothing): its answer is true only if what
   * `change` read is still current, so a read-only change never answers from a replica that has not
   * yet seen another coordinator's commit. On failure it reads P/rev, as `request` does.
   */
  validation(layout: EtcdKeyLayout, maxOps: number): ITxnRequest {
    let compare = this.compares(layout, false);
    if (compare.length > maxOps) compare = this.compares(layout, true);
    if (compare.length > maxOps) throw new EtcdTransactionTooLargeError(compare.length, maxOps);
    return { compare, success: [], failure: [{ request_range: { key: layout.revision } }] };
  }

  /** Whether the change wrote anything etcd stores. */
  get hasWrites(): boolean {
    for (const [table, writes] of this.writes) if (writes.values.size > 0 && !DERIVED_TABLES.has(table)) return true;
    return false;
  }

  /** The Txn: compare the reads, apply the writes and touch P/rev; on failure read P/rev (how far to catch up). */
  request(layout: EtcdKeyLayout, maxOps: number): ITxnRequest {
    const success: IRequestOp[] = [];
    for (const [table, writes] of this.writes) {
      if (DERIVED_TABLES.has(table)) continue;
      let removes = false;
      for (const encoded of writes.sorted) {
        const bytes = writes.values.get(encoded)!;
        const key = layout.record(table, encoded);
        if (bytes === null) {
          removes = true;
          success.push({ request_delete_range: { key } });
        } else success.push({ request_put: { key, value: bytes } });
      }
      if (removes) success.push({ request_put: { key: layout.deleteMarker(table), value: Buffer.alloc(0) } });
    }
    success.push({ request_put: { key: layout.revision, value: Buffer.alloc(0) } });
    if (success.length > maxOps) throw new EtcdTransactionTooLargeError(success.length, maxOps);
    let compare = this.compares(layout, false);
    if (compare.length > maxOps) compare = this.compares(layout, true);
    if (compare.length > maxOps) throw new EtcdTransactionTooLargeError(compare.length, maxOps);
    return { compare, success, failure: [{ request_range: { key: layout.revision } }] };
  }

  private compares(layout: EtcdKeyLayout, widened: boolean): ICompare[] {
    const below = String(this.base + 1);
    const compare: ICompare[] = [];
    const tables = new Set([...this.points.keys(), ...this.ranges.keys()]);
    for (const table of tables) {
      const points = this.points.get(table) ?? new Map<string, number>();
      const ranges = this.ranges.get(table) ?? [];
      if (widened) {
        // One interval over every key this change read in the table.
        const all: RangeRead[] = [...ranges, ...[...points.keys()].map((k) => ({ lo: k, hi: justAfter(k) }))];
        ranges.splice(0, ranges.length, cover(all));
        points.clear();
      }
      for (const [encoded, mod] of points) {
        compare.push({ key: layout.record(table, encoded), target: 'Mod', result: 'Equal', mod_revision: String(mod) });
      }
      for (const range of ranges) {
        compare.push({
          key: layout.record(table, range.lo),
          range_end: range.hi === null ? layout.tableEnd(table) : layout.record(table, range.hi),
          target: 'Mod',
          result: 'Less',
          mod_revision: below,
        });
      }
      if (ranges.length > 0) compare.push({ key: layout.deleteMarker(table), target: 'Mod', result: 'Less', mod_revision: below });
    }
    return compare;
  }

  private recordPoint(table: string, encoded: string, mod: number): void {
    let map = this.points.get(table);
    if (!map) {
      map = new Map();
      this.points.set(table, map);
    }
    if (map.has(encoded)) return;
    map.set(encoded, mod);
    this.journal.push({ type: 'point', table, encoded });
  }

  /** Buffers `bytes` at `encoded` (null: a removal; undefined: nothing, undoing an earlier buffered put), journaled. */
  private bufferWrite(table: string, encoded: string, bytes: Buffer | null | undefined): void {
    const writes = this.buffer(table);
    this.journal.push({ type: 'write', table, encoded, previous: writes.values.get(encoded) });
    writes.restore(encoded, bytes);
  }

  private buffer(table: string): BufferedWrites {
    let writes = this.writes.get(table);
    if (!writes) {
      writes = new BufferedWrites();
      this.writes.set(table, writes);
    }
    return writes;
  }
}

/**
 * The extra compare of a fenced write (store/write-fence.ts): its owner key still has the create
 * revision the owner took it at. etcd compares a missing key as a zero KeyValue, so a key deleted
 * with its expired lease fails it as surely as one another coordinator put anew.
 */
export function fenceCompare(fence: WriteFence): ICompare {
  return { key: Buffer.from(fence.key, 'latin1'), target: 'Create', result: 'Equal', create_revision: fence.createRevision };
}

function cover(reads: readonly RangeRead[]): RangeRead {
  let lo = reads[0]!.lo;
  let hi: string | null = reads[0]!.hi;
  for (const read of reads) {
    if (read.lo < lo) lo = read.lo;
    if (hi !== null && (read.hi === null || read.hi > hi)) hi = read.hi;
  }
  return { lo, hi };
}
