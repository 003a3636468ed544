// A sorted set of strings (the etcd replica's keys of one table) kept as a list of sorted chunks of
// at most CHUNK keys: an insert or a removal in the middle moves at most one chunk's worth of
// entries, where one sorted array moved half the table (at 100k machines an index table holds
// 100k-300k keys, and every allocation inserts and removes some). Keys that sort last, as the
// event log's seqs do, are pushed onto the last chunk. Strings compare with < (the replica's keys
// are latin1 strings, one char per byte, so this is byte order).

const CHUNK = 512;

/** The index of the first element of `sorted` >= `key`. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedKeys {
  /** Never an empty chunk; every key of a chunk sorts before every key of the next. */
  private readonly chunks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `key`, which must not be in the set (the caller knows: it keeps the entries). */
  insert(key: string): void {
    this.count++;
    const c = this.chunkAtOrAfter(key);
    if (c === this.chunks.length) {
      // Past every key: onto the last chunk, or a new one when it is full.
      const last = this.chunks[this.chunks.length - 1];
      if (last && last.length < CHUNK) last.push(key);
      else this.chunks.push([key]);
      return;
    }
    const chunk = this.chunks[c]!;
    chunk.splice(lowerBound(chunk, key), 0, key);
    if (chunk.length > CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK >>> 1));
  }

  /** Removes `key`, which must be in the set. */
  remove(key: string): void {
    const c = this.chunkAtOrAfter(key);
    const chunk = this.chunks[c];
    if (!chunk) return;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return;
    this.count--;
    if (chunk.length === 1) this.chunks.splice(c, 1);
    else chunk.splice(i, 1);
  }

  *[Symbol.iterator](): Generator<string> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** The first key after `from` (at it too when inclusive), or undefined. */
  after(from: string, inclusive: boolean): string | undefined {
    let c = this.chunkAtOrAfter(from);
    const chunk = this.chunks[c];
    if (!chunk) return undefined;
    let i = lowerBound(chunk, from);
    if (!inclusive && chunk[i] === from) i++;
    if (i < chunk.length) return chunk[i];
    c++;
    return this.chunks[c]?.[0];
  }

  /** The last key before `from` (at it too when inclusive; null = from the end), or undefined. */
  before(from: string | null, inclusive: boolean): string | undefined {
    if (from === null) return this.last();
    const c = this.chunkAtOrAfter(from);
    const chunk = this.chunks[c];
    if (!chunk) return this.last();
    const i = lowerBound(chunk, from); // first >= from
    if (inclusive && chunk[i] === from) return from;
    if (i > 0) return chunk[i - 1];
    const previous = this.chunks[c - 1];
    return previous?.[previous.length - 1];
  }

  private last(): string | undefined {
    const chunk = this.chunks[this.chunks.length - 1];
    return chunk?.[chunk.length - 1];
  }

  /** The index of the first chunk whose last key is >= `key` (chunks.length: none). */
  private chunkAtOrAfter(key: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (chunk[chunk.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
