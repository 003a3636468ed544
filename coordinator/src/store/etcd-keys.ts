// Where the etcd backend keeps each table, as pure functions (no I/O). Under the prefix P:
//   P/t/<table>/<key>   one record: <key> is the lmdb-js key encoded by ordered-binary, the same
//                       bytes LMDB sorts by, so an etcd range is the same range LMDB would read
//   P/d/<table>         touched by every transaction that deletes from <table>: etcd's range
//                       compares cannot see a key that is gone, so a range read also compares this
//   P/k/<table>/<key>   tombstones of removed READY-index keys, of the older layout that stored the
//                       machine indexes (read by nothing now; deleted on the upgrade: etcd-derived-indexes.ts)
//   P/rev               touched by every transaction: on a conflict, its mod revision says how far
//                       the replica must catch up before the change is run again
//   P/w/<store id>      one per open store: the id of the last Txn its lane committed; every Txn
//                       compares it, so a Txn resent after an unknown outcome applies at most once
// Inside the replica a table key is held as a latin1 string of its encoded bytes: one char per
// byte, so JavaScript's string order is the byte order etcd and LMDB use.
import { fromBufferKey, toBufferKey } from 'ordered-binary';
import type { TableKey } from './table-api.js';

export class EtcdKeyLayout {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix.replace(/\/+$/, '');
  }

  /** Every key of this fleet: [prefix/, prefixEnd). */
  get all(): { key: Buffer; rangeEnd: Buffer } {
    const key = Buffer.from(`${this.prefix}/`, 'latin1');
    return { key, rangeEnd: successorPrefix(key) };
  }

  tableStart(table: string): Buffer {
    return Buffer.from(`${this.prefix}/t/${table}/`, 'latin1');
  }

  tableEnd(table: string): Buffer {
    return successorPrefix(this.tableStart(table));
  }

  /** The etcd key of one record; `encoded` as held in the replica. */
  record(table: string, encoded: string): Buffer {
    return Buffer.concat([this.tableStart(table), Buffer.from(encoded, 'latin1')]);
  }

  deleteMarker(table: string): Buffer {
    return Buffer.from(`${this.prefix}/d/${table}`, 'latin1');
  }

  /** Where the older layout kept the tombstones of one table's removed keys (P/k/<table>/). */
  tombstones(table: string): { key: Buffer; rangeEnd: Buffer } {
    const key = Buffer.from(`${this.prefix}/k/${table}/`, 'latin1');
    return { key, rangeEnd: successorPrefix(key) };
  }

  /** The write tag of one open store (one coordinator's write lane): the id of its last committed Txn. */
  writeTag(storeId: string): Buffer {
    return Buffer.from(`${this.prefix}/w/${storeId}`, 'latin1');
  }

  get revision(): Buffer {
    return Buffer.from(`${this.prefix}/rev`, 'latin1');
  }

  /** What an etcd key under the prefix is: a record (its table and encoded key), a delete marker, or neither. */
  parse(key: Buffer): { type: 'record'; table: string; encoded: string } | { type: 'marker'; table: string } | { type: 'other' } {
    const text = key.toString('latin1');
    const records = `${this.prefix}/t/`;
    if (text.startsWith(records)) {
      const slash = text.indexOf('/', records.length);
      if (slash < 0) return { type: 'other' };
      return { type: 'record', table: text.slice(records.length, slash), encoded: text.slice(slash + 1) };
    }
    const markers = `${this.prefix}/d/`;
    if (text.startsWith(markers)) return { type: 'marker', table: text.slice(markers.length) };
    return { type: 'other' };
  }
}

export function encodeKey(key: TableKey): string {
  return toBufferKey(key).toString('latin1');
}

export function decodeKey<K extends TableKey>(encoded: string): K {
  return fromBufferKey(Buffer.from(encoded, 'latin1')) as K;
}

/** The smallest key after every key that starts with `prefix` (etcd's "prefix + 1"). */
export function successorPrefix(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // all 0xff: to the end of the keyspace
}

/** The smallest encoded key after `encoded` (a range that ends just past it). */
export function justAfter(encoded: string): string {
  return `${encoded}\u0000`;
}
