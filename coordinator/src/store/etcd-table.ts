// One table of the etcd backend, with lmdb-js's semantics (table-api.ts): keys in ordered-binary
// order; a range's start is inclusive and its end exclusive (reversed: start is the upper bound,
// inclusive, end the lower, exclusive). Inside `store.write` reads go through the running
// transaction, which records them and shows the change its own writes; outside, they read the
// replica as it stands.
import { decodeKey, encodeKey, justAfter } from './etcd-keys.js';
import type { Replica } from './etcd-replica.js';
import type { EtcdTransaction, RangeRead } from './etcd-transaction.js';
import { StoreError } from './errors.js';
import type { StoreTable, TableKey, TableRange } from './table-api.js';

export interface TableContext {
  readonly replica: Replica;
  /** The transaction `change` runs in, or null outside `store.write`. */
  transaction(): EtcdTransaction | null;
  encode(value: unknown): Buffer;
  decode(bytes: Buffer): unknown;
}

export class EtcdTable<V, K extends TableKey> implements StoreTable<V, K> {
  constructor(
    readonly name: string,
    private readonly context: TableContext,
  ) {}

  get(key: K): V | undefined {
    const bytes = this.bytes(encodeKey(key));
    return bytes === undefined ? undefined : (this.context.decode(bytes) as V);
  }

  *getRange(range: TableRange<K> = {}): Generator<{ key: K; value: V }> {
    for (const encoded of this.walk(range)) {
      yield { key: decodeKey<K>(encoded), value: this.context.decode(this.peek(encoded)!) as V };
    }
  }

  *getKeys(range: TableRange<K> = {}): Generator<K> {
    for (const encoded of this.walk(range)) yield decodeKey<K>(encoded);
  }

  getKeysCount(range: TableRange<K> = {}): number {
    const whole = range.start === undefined && range.end === undefined && range.limit === undefined;
    if (whole && !this.context.transaction()) return this.context.replica.table(this.name).size;
    let count = 0;
    for (const _ of this.walk(range)) count++;
    return count;
  }

  putSync(key: K, value: V): void {
    this.writing('putSync').put(this.name, encodeKey(key), this.context.encode(value));
  }

  /** Appends `value` under the seq its commit gives it (etcd-sequenced.ts); the value's own seq is overwritten. */
  appendSequenced(value: V): void {
    this.writing('appendSequenced').appendSequenced(this.name, this.context.encode(value));
  }

  removeSync(key: K): boolean {
    return this.writing('removeSync').remove(this.name, encodeKey(key));
  }

  private writing(method: string): EtcdTransaction {
    const transaction = this.context.transaction();
    if (!transaction) throw new StoreError(`${this.name}.${method} outside store.write: the etcd store writes only in a transaction`);
    return transaction;
  }

  private bytes(encoded: string): Buffer | undefined {
    const transaction = this.context.transaction();
    return transaction ? transaction.get(this.name, encoded) : this.context.replica.table(this.name).get(encoded)?.bytes;
  }

  private peek(encoded: string): Buffer | undefined {
    const transaction = this.context.transaction();
    return transaction ? transaction.peek(this.name, encoded) : this.context.replica.table(this.name).get(encoded)?.bytes;
  }

  /** The encoded keys of `range` in order; inside a transaction, records the interval walked so far at every step. */
  private *walk(range: TableRange<K>): Generator<string> {
    const transaction = this.context.transaction();
    const table = this.context.replica.table(this.name);
    const limit = range.limit ?? Number.POSITIVE_INFINITY;
    let read: RangeRead | null = null;
    const covered = (lo: string, hi: string | null): void => {
      if (!transaction) return;
      if (read) {
        read.lo = lo;
        read.hi = hi;
      } else read = transaction.recordRange(this.name, { lo, hi });
    };
    const after = (from: string, inclusive: boolean): string | undefined =>
      transaction ? transaction.after(this.name, from, inclusive) : table.after(from, inclusive);
    const before = (from: string | null, inclusive: boolean): string | undefined =>
      transaction ? transaction.before(this.name, from, inclusive) : table.before(from, inclusive);
    let count = 0;
    if (!range.reverse) {
      const lo = range.start === undefined ? '' : encodeKey(range.start);
      const hi = range.end === undefined ? null : encodeKey(range.end);
      let cursor = lo;
      let inclusive = true;
      while (count < limit) {
        const next = after(cursor, inclusive);
        if (next === undefined || (hi !== null && next >= hi)) {
          covered(lo, hi);
          return;
        }
        covered(lo, justAfter(next));
        count++;
        yield next;
        cursor = next;
        inclusive = false;
      }
      return;
    }
    const upper = range.start === undefined ? null : encodeKey(range.start);
    const lower = range.end === undefined ? null : encodeKey(range.end);
    const hi = upper === null ? null : justAfter(upper);
    let cursor = upper;
    let inclusive = true;
    while (count < limit) {
      const next = before(cursor, inclusive);
      if (next === undefined || (lower !== null && next <= lower)) {
        covered(lower === null ? '' : justAfter(lower), hi);
        return;
      }
      covered(next, hi);
      count++;
      yield next;
      cursor = next;
      inclusive = false;
    }
  }
}
