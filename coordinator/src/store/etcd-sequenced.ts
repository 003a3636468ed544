// Records numbered by the commit that stores them (the event log on etcd), as pure functions.
//
// On LMDB the event log numbers an event from its tail: read the last seq, write seq + 1. On an
// etcd prefix shared by several coordinators that read is a compared read, so every write of every
// coordinator conflicts with every other one on the log's tail, and batched Txns rerun as a whole
// (three coordinators spent 2.5x one's CPU per write; enlisting 64 at a time gave up after 32
// conflicts in a row). Here an appended record reads nothing: it is put blind under a key no
// other write uses, P/t/<table>/[writer, n] (writer: one transaction of one open store; n: its
// appends in order), and its seq is taken from the etcd revision of the Txn that committed it:
//   seq = mod_revision * SEQ_PER_REVISION + n
// Every replica computes the same seq from the same key and mod revision (on load and from the
// watch), files the record under it, and writes the seq into the value, so readers see one table
// keyed by seq as on LMDB. Revisions order commits, n orders the appends of one Txn, so seq order
// is commit order, across coordinators too: a watcher that resumes after seq S misses nothing
// committed after it, and a machine's events keep their order (its writes conflict on the machine
// record, so they commit one after the other). Seqs are not dense (a gap between two commits), as
// resume-by-seq never assumed. Records stored with a plain numeric key (written by LMDB and copied
// over by `migrate`) keep their seq: each took one of at most SEQ_PER_REVISION operations of a Txn
// at an earlier revision, so their seqs are below every revision-numbered one.
import { decodeKey, encodeKey } from './etcd-keys.js';
import type { TableKey } from './table-api.js';

/** Above any Txn's operation count (etcd's --max-txn-ops, default 128). */
export const SEQ_PER_REVISION = 1024;

/** The tables whose appended records are numbered by their commit. */
export const SEQUENCED_TABLES: ReadonlySet<string> = new Set(['events']);

/** The stored key of the `n`th record appended by one transaction (`writer`). */
export function appendedKey(writer: string, n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= SEQ_PER_REVISION) {
    throw new RangeError(`a transaction appends at most ${SEQ_PER_REVISION} records, not ${n + 1}`);
  }
  return encodeKey(['a', writer, n]);
}

/** The seq of an appended record, or null when `encoded` is a record's own seq (LMDB's numbering). */
export function appendedSeq(encoded: string, modRevision: number): number | null {
  const key = decodeKey<TableKey>(encoded);
  if (!Array.isArray(key) || key[0] !== 'a' || typeof key[2] !== 'number') return null;
  return modRevision * SEQ_PER_REVISION + key[2];
}

/**
 * How the replica files a record of a sequenced table: an appended one under its seq, with the seq
 * written into the value (a record of `{ seq, ... }`) and the key it is stored under kept beside it
 * (`stored`: its removal deletes that key); any other as stored.
 */
export function fileSequenced(
  encoded: string,
  modRevision: number,
  bytes: Buffer,
  codec: { decode(bytes: Buffer): unknown; encode(value: unknown): Buffer },
): { encoded: string; bytes: Buffer; stored?: string } {
  const seq = appendedSeq(encoded, modRevision);
  if (seq === null) return { encoded, bytes };
  return { encoded: encodeKey(seq), bytes: withSeq(bytes, seq, codec), stored: encoded };
}

/**
 * The msgpack map `bytes` with the entry seq = `seq` added last. Decoded, a map whose key repeats
 * takes its last value at the key's first place, so the result reads as `{ ...value, seq }`; it is
 * built by raising the map's entry count in its header and appending the entry, without decoding
 * the record (every replica does this for every event). A header it cannot raise in place (a
 * fixmap of 15 entries, map32, not a map) takes the decode and encode.
 */
export function withSeq(bytes: Buffer, seq: number, codec: { decode(bytes: Buffer): unknown; encode(value: unknown): Buffer }): Buffer {
  const head = bytes[0];
  const entry = Buffer.concat([codec.encode('seq'), codec.encode(seq)]);
  if (head !== undefined && head >= 0x80 && head < 0x8f) {
    const out = Buffer.concat([bytes, entry]);
    out[0] = head + 1;
    return out;
  }
  if (head === 0xde && bytes.length >= 3 && bytes.readUInt16BE(1) < 0xffff) {
    const out = Buffer.concat([bytes, entry]);
    out.writeUInt16BE(bytes.readUInt16BE(1) + 1, 1);
    return out;
  }
  const value = codec.decode(bytes) as Record<string, unknown>;
  return codec.encode({ ...value, seq });
}
