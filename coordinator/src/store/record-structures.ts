// Record structures shared by the values of each LMDB table.
//
// lmdb-js encodes values with msgpackr's records: an object is written as a structure id and its
// values, the structure being its list of keys. Without a place to keep structures, msgpackr
// writes each one into every value that uses it and decodes it again on every read (a machine
// record: 489 bytes, 3.6 us to decode, 3.6 us to encode). Here each table's structures are kept
// in the `record-structures` table, under the table's name, so a value holds only its values
// (the same record: 158 bytes, 0.7 us to decode, 2.0 us to encode). Up to 32 structures per table
// are shared; a value of any other shape still carries its own, as before. Values written before
// (schema version 10 and older) carry their own structures and are read as they are.
//
// A structure is saved in the transaction of the first write that uses it. If that write is rolled
// back (a change that threw, a commit that failed), the structure is gone from the file but still
// known to the encoder, which would go on writing values that name it. So every rollback makes each
// table reload its structures from the file before its next write (`forget`), and a group of writes
// that saved one is committed before the next group runs (`takeSaved`, commit-group.ts), so no
// later write can lean on a structure whose commit might still fail.
import type { Database, RootDatabase } from 'lmdb';
import type { StoreTable, TableKey, TableOpener } from './table-api.js';

/** The table holding every other table's structures (never shared structures itself). */
export const RECORD_STRUCTURES_TABLE = 'record-structures';

/** Tables whose values keep their structures inline: `meta` holds the schema version, which any version must read. */
const INLINE_TABLES: ReadonlySet<string> = new Set(['meta']);

/** What msgpackr keeps on an encoder that shares structures (its typings do not name it). */
interface StructuredEncoder {
  structures?: { uninitialized?: boolean };
}

/** The options msgpackr takes to load and save shared structures (lmdb-js passes them through openDB). */
interface StructureOptions {
  readonly getStructures: () => unknown;
  /** `isCompatible` says whether the stored structures are the ones the encoder last loaded or saved. */
  readonly saveStructures: (structures: unknown, isCompatible: (stored: unknown) => boolean) => boolean;
}

export class RecordStructures {
  private readonly encoders: StructuredEncoder[] = [];
  private saved = false;

  /** `holder` null: a read-only file from before shared structures (every value carries its own). */
  private constructor(
    private readonly holder: Database<unknown, string> | null,
    private readonly root: RootDatabase,
  ) {}

  /** The structures of `root`'s tables, kept in its `record-structures` table (read-only: null if the file has none). */
  static open(root: RootDatabase): RecordStructures {
    const holder: Database<unknown, string> | undefined = root.openDB<unknown, string>({ name: RECORD_STRUCTURES_TABLE });
    return new RecordStructures(holder ?? null, root);
  }

  /** Opens the table `name`, its values sharing their structures; undefined where lmdb-js gives it (read-only, no such table). */
  table<V, K extends TableKey>(name: string): StoreTable<V, K> | undefined {
    const shared = this.holder !== null && !INLINE_TABLES.has(name);
    const options = shared ? { name, ...this.optionsFor(name) } : { name };
    const db = this.root.openDB(options) as (Database & { encoder?: StructuredEncoder }) | undefined;
    if (shared && db?.encoder) this.encoders.push(db.encoder);
    return db as unknown as StoreTable<V, K> | undefined;
  }

  /** An opener for openTables (tables.ts) over a writable root. */
  opener(): TableOpener {
    return {
      openDB: <V, K extends TableKey>({ name }: { name: string }): StoreTable<V, K> => {
        const table = this.table<V, K>(name);
        if (!table) throw new Error(`lmdb-js did not open the table ${name}`);
        return table;
      },
    };
  }

  /** True if a structure was saved since the last call (then the writes that saved it must commit first). */
  takeSaved(): boolean {
    const saved = this.saved;
    this.saved = false;
    return saved;
  }

  /** After a rollback: every table reloads its structures from the file before its next write. */
  forget(): void {
    for (const encoder of this.encoders) if (encoder.structures) encoder.structures.uninitialized = true;
  }

  private optionsFor(name: string): StructureOptions {
    const holder = this.holder as Database<unknown, string>;
    return {
      getStructures: () => holder.get(name) ?? null,
      // msgpackr calls this while encoding a value with a new structure: inside the write's
      // transaction, or (a write outside one) before lmdb-js opens the value's own.
      saveStructures: (structures, isCompatible) => {
        if (!isCompatible(holder.get(name))) return false; // they changed since: msgpackr reloads and encodes again
        holder.putSync(name, structures);
        this.saved = true;
        return true;
      },
    };
  }
}
