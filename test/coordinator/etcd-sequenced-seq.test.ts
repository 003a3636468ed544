import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { withSeq } from '../../coordinator/src/store/etcd-sequenced.js';

// The etcd store's codec (etcd-store.ts).
const packr = new Packr({ useRecords: false });
const codec = { decode: (b: Buffer): unknown => packr.unpack(b), encode: (v: unknown): Buffer => packr.pack(v) };

/** A msgpack fixmap of `entries` (header 0x80 | n), written by hand: the codec writes map16. */
function fixmap(entries: Record<string, number>): Buffer {
  const keys = Object.keys(entries);
  return Buffer.concat([Buffer.from([0x80 | keys.length]), ...keys.flatMap((k) => [codec.encode(k), codec.encode(entries[k])])]);
}

describe('withSeq', () => {
  const seqs = [1, 1024 * 5 + 3, 2 ** 32 + 7, 1024 * 2 ** 40];
  it('reads as the record with its seq, wherever the record kept one', () => {
    const records: Record<string, unknown>[] = [
      { kind: 'machine.allocated', machineId: 'm-1', details: { by: 'u' }, at: 17 },
      { seq: 0, kind: 'x', nested: [1, 'two', { three: 3 }] },
      {},
    ];
    for (const record of records) {
      for (const seq of seqs) {
        const out = codec.decode(withSeq(codec.encode(record), seq, codec));
        expect(out).toEqual({ ...record, seq });
        expect(Object.keys(out as object)).toEqual(Object.keys({ ...record, seq }));
      }
    }
  });

  it('raises a fixmap in place, and takes the decode and encode for a full one', () => {
    const small = { a: 1, b: 2 };
    expect(withSeq(fixmap(small), 9, codec)[0]).toBe(0x83);
    expect(codec.decode(withSeq(fixmap(small), 9, codec))).toEqual({ ...small, seq: 9 });
    const full = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, i]));
    expect(codec.decode(withSeq(fixmap(full), 9, codec))).toEqual({ ...full, seq: 9 });
  });
});
