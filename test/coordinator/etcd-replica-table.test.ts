import { describe, expect, it } from 'vitest';
import { ReplicaTable } from '../../coordinator/src/store/etcd-replica.js';
import { SortedKeys } from '../../coordinator/src/store/sorted-keys.js';

/** A small deterministic generator, so a failure repeats. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const key = (n: number): string => `k${String(n).padStart(6, '0')}`;

/** The reference's answer to after/before, by scanning it sorted. */
function after(sorted: readonly string[], from: string, inclusive: boolean): string | undefined {
  return sorted.find((k) => (inclusive ? k >= from : k > from));
}
function before(sorted: readonly string[], from: string | null, inclusive: boolean): string | undefined {
  if (from === null) return sorted.at(-1);
  return sorted.findLast((k) => (inclusive ? k <= from : k < from));
}

describe('SortedKeys', () => {
  it('agrees with a sorted array through appends, inserts and removals anywhere, across many chunks', () => {
    const random = lcg(7);
    for (const span of [50, 5000]) {
      const keys = new SortedKeys();
      const reference = new Set<string>();
      let next = 0;
      for (let step = 0; step < 6000; step++) {
        const roll = random();
        let k: string;
        if (roll < 0.35)
          k = key(next++ * 2); // past every key, as the event log's seqs are
        else k = key(Math.floor(random() * Math.max(next, span)) * 2 + (roll < 0.6 ? 1 : 0));
        if (roll < 0.7) {
          if (!reference.has(k)) {
            keys.insert(k);
            reference.add(k);
          }
        } else if (reference.has(k)) {
          keys.remove(k);
          reference.delete(k);
        }
        if (step % 500 === 0 || step === 5999) {
          const sorted = [...reference].sort();
          expect([...keys]).toEqual(sorted);
          expect(keys.size).toBe(sorted.length);
          for (let probe = 0; probe < 50; probe++) {
            const from = key(Math.floor(random() * (2 * next + 4)));
            for (const inclusive of [true, false]) {
              expect(keys.after(from, inclusive)).toBe(after(sorted, from, inclusive));
              expect(keys.before(from, inclusive)).toBe(before(sorted, from, inclusive));
            }
          }
          expect(keys.before(null, false)).toBe(sorted.at(-1));
        }
      }
    }
  });

  it('answers nothing when empty, and empties again', () => {
    const keys = new SortedKeys();
    expect(keys.after('a', true)).toBeUndefined();
    expect(keys.before('a', true)).toBeUndefined();
    expect(keys.before(null, true)).toBeUndefined();
    for (let i = 0; i < 2000; i++) keys.insert(key(i));
    for (let i = 1999; i >= 0; i -= 2) keys.remove(key(i));
    for (let i = 0; i < 2000; i += 2) keys.remove(key(i));
    expect(keys.size).toBe(0);
    expect([...keys]).toEqual([]);
    keys.insert('x');
    expect(keys.after('a', false)).toBe('x');
  });
});

describe('ReplicaTable', () => {
  it('keeps entries under their keys, in key order; a put over a key keeps one key', () => {
    const table = new ReplicaTable();
    for (const k of ['b', 'a', 'c', 'b']) table.put(k, { bytes: Buffer.from(k), mod: k.charCodeAt(0) });
    expect([...table.records()].map(([k, e]) => [k, e.mod])).toEqual([
      ['a', 97],
      ['b', 98],
      ['c', 99],
    ]);
    table.delete('b');
    table.delete('zzz'); // not there: nothing changes
    expect(table.size).toBe(2);
    expect(table.after('a', false)).toBe('c');
    expect(table.before(null, false)).toBe('c');
  });
});
