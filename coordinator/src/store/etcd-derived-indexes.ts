// The status, READY and member indexes on etcd: not stored, but derived by every replica from the
// machine records it holds, whenever one is loaded, put or deleted (from the watch, its own
// commits included, and on every load). A cycle then writes to etcd only the machine record and
// its event, instead of those and a dozen index keys and tombstones that etcd stored and every
// coordinator's watch decoded and applied.
// A transaction still writes the indexes through the table API (MachineTable.save), so that a
// change sees its own writes; those writes stay in the transaction (etcd-transaction.ts:
// DERIVED_TABLES are neither sent nor compared), and what the replica derives from the committed
// machine record is the same entries (MachineTable.save writes the difference between two
// machines' entries; the store conformance tests check both backends against the entries the
// records imply). Reading an index records no compare: a change relies on what it read there only
// through the machine record it then reads, which is compared (the allocator reads the chosen
// machine: if another coordinator took it first, the Txn fails and the change runs again).
// Hostnames stay stored: creating a machine relies on the absence of its hostname's key, and only
// a stored key's absence can be compared.
import type { Etcd3 } from 'etcd3';
import type { Machine } from '../machines/machine.js';
import { etcdFailure } from './etcd-errors.js';
import { encodeKey, type EtcdKeyLayout } from './etcd-keys.js';
import { ReplicaTable, type ReplicaEntry } from './etcd-replica.js';
import { memberIndexKeys } from './member-index.js';
import { readyKeys, readySummary } from './ready-index.js';
import { MACHINE_INDEX_NAMES } from './tables.js';

/** The tables every replica derives from the machine records; never stored in etcd (keys an older layout left there are ignored). */
export const DERIVED_TABLES: ReadonlySet<string> = new Set(Object.values(MACHINE_INDEX_NAMES));

/** The table the indexes are derived from. */
export const MACHINES_TABLE = 'machines';

interface Held {
  readonly table: ReplicaTable;
  readonly encoded: string;
}

interface Codec {
  decode(bytes: Buffer): unknown;
  encode(value: unknown): Buffer;
}

export class DerivedIndexes {
  private readonly status = new ReplicaTable();
  private readonly ready = new ReplicaTable();
  private readonly member = new ReplicaTable();
  /** The index keys each machine (by its encoded key) has now. */
  private readonly held = new Map<string, readonly Held[]>();
  /** The entry of every status and member index key: one shared object, not one per key (entries are never mutated). */
  private readonly nullEntry: ReplicaEntry;

  /** Puts fresh, empty index tables into `tables` (a replica's tables being loaded). */
  constructor(
    tables: Map<string, ReplicaTable>,
    private readonly codec: Codec,
  ) {
    tables.set(MACHINE_INDEX_NAMES.statusIndex, this.status);
    tables.set(MACHINE_INDEX_NAMES.readyIndex, this.ready);
    tables.set(MACHINE_INDEX_NAMES.memberIndex, this.member);
    this.nullEntry = { bytes: codec.encode(null), mod: 0 };
  }

  /**
   * The machine record at `encoded` is now `bytes`: its index entries replace those it had. A
   * record no entries can be derived from (never written by a coordinator: MachineTable.save would
   * have thrown on it) loses its entries, and the error is thrown for the caller to log.
   */
  put(encoded: string, bytes: Buffer): void {
    let next: Held[];
    let summary: Buffer | null = null;
    try {
      const machine = this.codec.decode(bytes) as Machine;
      next = [{ table: this.status, encoded: encodeKey([machine.status, machine.id]) }];
      for (const key of memberIndexKeys(machine)) next.push({ table: this.member, encoded: encodeKey(key) });
      if (machine.status === 'READY') {
        summary = this.codec.encode(readySummary(machine));
        for (const key of readyKeys(machine)) next.push({ table: this.ready, encoded: encodeKey(key) });
      }
    } catch (error) {
      this.delete(encoded);
      throw error;
    }
    const before = this.held.get(encoded);
    this.drop(before, next);
    const summaries = summary ? { bytes: summary, mod: 0 } : this.nullEntry;
    for (const entry of next) entry.table.put(entry.encoded, entry.table === this.ready ? summaries : this.nullEntry);
    // The entries a machine keeps from before stay as they were: the record is derived anew on
    // every change, and kept copies of unchanged keys would only be promoted and freed again.
    if (!sameKeys(before, next)) this.held.set(encoded, next);
  }

  /** The machine record at `encoded` is gone, and with it its index entries. */
  delete(encoded: string): void {
    this.drop(this.held.get(encoded), []);
    this.held.delete(encoded);
  }

  /** Removes the entries of `before` that `after` does not have. */
  private drop(before: readonly Held[] | undefined, after: readonly Held[]): void {
    if (!before) return;
    for (const old of before) {
      if (!after.some((h) => h.table === old.table && h.encoded === old.encoded)) old.table.delete(old.encoded);
    }
  }
}

/** Whether two lists of index keys hold the same keys in the same order. */
function sameKeys(a: readonly Held[] | undefined, b: readonly Held[]): boolean {
  return a !== undefined && a.length === b.length && a.every((held, i) => held.table === b[i]!.table && held.encoded === b[i]!.encoded);
}

/**
 * Deletes the machine-index keys a prefix of an older layout holds (records, delete markers,
 * READY-index tombstones): no coordinator reads them any more. Blind deletes of keys nothing
 * compares, in one Txn.
 */
export async function dropStoredIndexes(client: Etcd3, layout: EtcdKeyLayout, timeoutMs: number): Promise<void> {
  const ranges = [...DERIVED_TABLES].flatMap((table) => [
    { key: layout.tableStart(table), range_end: layout.tableEnd(table) },
    { key: layout.tombstones(table).key, range_end: layout.tombstones(table).rangeEnd },
    { key: layout.deleteMarker(table) },
  ]);
  const request = { compare: [], success: ranges.map((range) => ({ request_delete_range: range })), failure: [] };
  await client.kv.txn(request, { deadline: Date.now() + timeoutMs }).catch((error: unknown) => {
    throw etcdFailure(error);
  });
}
