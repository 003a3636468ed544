// A local copy of the monitored tables, kept current by applying monitor updates. It holds the
// monitored columns and nothing else, and an update costs what it changes: a modify decodes only the
// columns it names, shares every other value with the row it replaces, and a row left as it was
// (a modify to the same value, a row of a new snapshot after a reconnect that did not change while
// we were away) is skipped: no new row, no index work, no change reported.
// update2 (monitor_cond) "modify" rows carry differences (ovsdb-server(7), "update2 notification"):
// scalars and optional scalars carry the new value, sets with max > 1 the symmetric difference
// (elements to toggle), maps the keys present on one side only plus changed keys with their new value. The legacy update (RFC 7047
// §4.1.6) carries whole new rows.

import type { Atom, Value } from './encoding.js';
import { decodeAtom, decodeMap, decodeSet } from './encoding.js';
import { OvsdbProtocolError } from './errors.js';
import type { ColumnSchema, DbSchema, TableSchema } from './schema.js';
import { tableOf } from './schema.js';

export interface Row {
  readonly _uuid: string;
  readonly [column: string]: Value;
}

export type ChangeKind = 'initial' | 'insert' | 'modify' | 'delete';

export interface RowChange {
  table: string;
  uuid: string;
  kind: ChangeKind;
  old: Row | undefined;
  new: Row | undefined;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** The value update2 leaves out of initial/insert rows (ovsdb-server omits default datums). */
function defaultValue(c: ColumnSchema): Value {
  switch (c.kind) {
    case 'optional':
      return null;
    case 'set':
      return [];
    case 'map':
      return new Map();
    case 'atom':
      // RFC 7047 §3.2 / ovsdb_atom_init_default: 0, 0.0, false, "", and the all-zero UUID.
      return c.key === 'integer' || c.key === 'real' ? 0 : c.key === 'boolean' ? false : c.key === 'uuid' ? ZERO_UUID : '';
  }
}

export function decodeColumn(c: ColumnSchema, wire: unknown): Value {
  switch (c.kind) {
    case 'atom':
      return decodeAtom(wire);
    case 'optional': {
      const s = decodeSet(wire);
      if (s.length > 1) throw new OvsdbProtocolError(`optional column got ${s.length} values`);
      return s[0] ?? null;
    }
    case 'set':
      return decodeSet(wire);
    case 'map':
      return decodeMap(wire);
  }
}

/**
 * Sets at least this large get a membership Set kept beside their array (SetMembership), so that an
 * update toggling a few elements costs a copy of the array, not a rebuilt hash set of it.
 */
const MEMBERSHIP_MIN = 64;

/**
 * Membership of the large set columns of current rows, keyed by the column's array. A row's arrays
 * are never changed in place (the old row goes out in RowChange.old), so a toggle takes the
 * membership over from the old array to the new one. Before this, every update of a 2,000-port
 * Logical_Switch hashed all 2,000 ports again (about 1 ms an attach; quadratic in a long run).
 */
class SetMembership {
  private readonly byArray = new WeakMap<readonly Atom[], Set<Atom>>();

  /** Symmetric difference of base and diff, keeping the order of `base` then new elements. */
  toggle(base: readonly Atom[], diff: readonly Atom[]): Atom[] {
    if (base.length < MEMBERSHIP_MIN) return toggleSmall(base, diff);
    const present = this.byArray.get(base) ?? new Set(base);
    this.byArray.delete(base);
    const add: Atom[] = [];
    let drop: Set<Atom> | undefined;
    const seen = new Set<Atom>();
    for (const d of diff) {
      if (seen.has(d)) continue;
      seen.add(d);
      if (present.has(d)) (drop ??= new Set()).add(d);
      else add.push(d);
    }
    for (const d of drop ?? []) present.delete(d);
    for (const a of add) present.add(a);
    const next = drop ? [...base.filter((b) => !drop.has(b)), ...add] : base.concat(add);
    if (next.length >= MEMBERSHIP_MIN) this.byArray.set(next, present);
    return next;
  }
}

function applyDiff(c: ColumnSchema, old: Value, wire: unknown, sets: SetMembership): Value {
  switch (c.kind) {
    case 'atom':
      return decodeAtom(wire);
    case 'optional':
      // ovsdb_datum_apply_diff: only composite types (max > 1) carry a difference; an optional
      // scalar carries its new value, an empty set when cleared.
      return decodeColumn(c, wire);
    case 'set':
      return sets.toggle(old as Atom[], decodeSet(wire));
    case 'map': {
      const next = new Map(old as Map<Atom, Atom>);
      for (const [k, v] of decodeMap(wire)) {
        if (!next.has(k)) next.set(k, v);
        else if (next.get(k) === v) next.delete(k);
        else next.set(k, v);
      }
      return next;
    }
  }
}

/** Symmetric difference, keeping the order of `base` then new elements. */
function toggleSmall(base: readonly Atom[], diff: readonly Atom[]): Atom[] {
  const drop = new Set<Atom>();
  const add: Atom[] = [];
  const present = new Set(base);
  for (const d of diff) {
    if (present.has(d)) drop.add(d);
    else add.push(d);
  }
  return [...base.filter((b) => !drop.has(b)), ...add];
}

/** Equality of decoded values; sets compare as sets (the server's order need not be ours). */
function valueEquals(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    if (a.length < 8) return a.every((x) => b.includes(x));
    const members = new Set(a);
    return b.every((x) => members.has(x));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (b.get(k) !== v || (v === undefined && !b.has(k))) return false;
    return true;
  }
  return false;
}

function addToIndex(index: Map<Atom, Set<string>>, value: Value | undefined, uuid: string): void {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return; // only atoms are looked up
  const uuids = index.get(value);
  if (uuids) uuids.add(uuid);
  else index.set(value, new Set([uuid]));
}

function removeFromIndex(index: Map<Atom, Set<string>>, value: Value | undefined, uuid: string): void {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
  const uuids = index.get(value);
  if (!uuids) return;
  uuids.delete(uuid);
  if (uuids.size === 0) index.delete(value);
}

export class Replica {
  private readonly data = new Map<string, Map<string, Row>>();
  private readonly monitored = new Map<string, string[]>();
  private readonly monitoredSet = new Map<string, Set<string>>();
  /**
   * table -> column -> atom -> uuids of the rows holding it. Built on a column's first find() and
   * kept current on every row change, so a lookup by name costs the same with 10 ports or 10,000
   * (waiting on a batch of N ports looks up N names after each update).
   */
  private readonly indexes = new Map<string, Map<string, Map<Atom, Set<string>>>>();
  private readonly sets = new SetMembership();

  /**
   * @param tables table name -> monitored columns: all of them when undefined. An empty list means
   * none, as ovsdb-server reads "columns": [] (rows are tracked by _uuid only); filling every column
   * with its default would report values the server never sent.
   */
  constructor(
    readonly schema: DbSchema,
    tables: Record<string, readonly string[] | undefined>,
  ) {
    for (const [name, columns] of Object.entries(tables)) {
      const t = tableOf(schema, name);
      this.monitored.set(name, columns ? [...columns] : [...t.columns.keys()]);
      this.monitoredSet.set(name, new Set(this.monitored.get(name)));
      this.data.set(name, new Map());
    }
  }

  rows(table: string): IterableIterator<Row> {
    return (this.data.get(table) ?? new Map<string, Row>()).values();
  }

  get(table: string, uuid: string): Row | undefined {
    return this.data.get(table)?.get(uuid);
  }

  /** The first row whose column equals the value (for indexed columns such as name). */
  find(table: string, column: string, value: Atom): Row | undefined {
    const rows = this.data.get(table);
    if (!rows || Number.isNaN(value)) return undefined; // NaN: a Map key would match it, === never does
    const uuids = this.indexFor(table, rows, column).get(value);
    if (!uuids) return undefined;
    if (uuids.size === 1) for (const uuid of uuids) return rows.get(uuid);
    // Several rows hold the value (a column the schema does not index): the first in table order.
    for (const row of rows.values()) if (row[column] === value) return row;
    return undefined;
  }

  count(table: string): number {
    return this.data.get(table)?.size ?? 0;
  }

  clear(): void {
    for (const m of this.data.values()) m.clear();
    this.indexes.clear();
  }

  private indexFor(table: string, rows: Map<string, Row>, column: string): Map<Atom, Set<string>> {
    let byColumn = this.indexes.get(table);
    if (!byColumn) this.indexes.set(table, (byColumn = new Map<string, Map<Atom, Set<string>>>()));
    let index = byColumn.get(column);
    if (!index) {
      byColumn.set(column, (index = new Map<Atom, Set<string>>()));
      for (const [uuid, row] of rows) addToIndex(index, row[column], uuid);
    }
    return index;
  }

  /** Every row change goes through here or remove(), which keep the indexes current. */
  private put(table: string, rows: Map<string, Row>, uuid: string, old: Row | undefined, row: Row): void {
    rows.set(uuid, row);
    const byColumn = this.indexes.get(table);
    if (!byColumn) return;
    for (const [column, index] of byColumn) {
      if (old && old[column] === row[column]) continue;
      if (old) removeFromIndex(index, old[column], uuid);
      addToIndex(index, row[column], uuid);
    }
  }

  private remove(table: string, rows: Map<string, Row>, uuid: string, old: Row): void {
    rows.delete(uuid);
    for (const [column, index] of this.indexes.get(table) ?? []) removeFromIndex(index, old[column], uuid);
  }

  /** Applies <table-updates2> (monitor_cond / update2). */
  applyUpdate2(updates: unknown): RowChange[] {
    const changes: RowChange[] = [];
    for (const [table, rows, schema] of this.iterate(updates)) {
      for (const [uuid, ru] of Object.entries(rows)) {
        const u = ru as Record<string, unknown>;
        const current = table.get(uuid);
        if ('initial' in u || 'insert' in u) {
          const kind: ChangeKind = 'initial' in u ? 'initial' : 'insert';
          const row = this.fullRow(schema, uuid, (u.initial ?? u.insert) as Record<string, unknown> | null);
          if (current && this.sameRow(schema, current, row)) continue;
          this.put(schema.name, table, uuid, current, row);
          changes.push({ table: schema.name, uuid, kind, old: current, new: row });
        } else if ('delete' in u) {
          if (!current) continue;
          this.remove(schema.name, table, uuid, current);
          changes.push({ table: schema.name, uuid, kind: 'delete', old: current, new: undefined });
        } else if ('modify' in u) {
          if (!current) throw new OvsdbProtocolError(`update2 modifies unknown row ${schema.name} ${uuid}`);
          const row = this.modified(schema, current, (u.modify ?? {}) as Record<string, unknown>);
          if (!row) continue;
          this.put(schema.name, table, uuid, current, row);
          changes.push({ table: schema.name, uuid, kind: 'modify', old: current, new: row });
        } else {
          throw new OvsdbProtocolError(`update2 row ${schema.name} ${uuid} has no initial/insert/delete/modify`);
        }
      }
    }
    return changes;
  }

  /**
   * The row after an update2 modify, or undefined when it leaves every column as it was. Rows are
   * never changed in place (a RowChange carries the old row as it was, and readers such as the OVN
   * planner hold rows across awaits): the new row is a shallow copy sharing every value the modify
   * does not name, and only the named columns are decoded.
   */
  private modified(schema: TableSchema, current: Row, diff: Record<string, unknown>): Row | undefined {
    const monitored = this.monitoredSet.get(schema.name);
    let next: Record<string, Value> | undefined;
    for (const col in diff) {
      if (!monitored?.has(col)) continue; // not a column we asked for: nothing reads it
      const c = schema.columns.get(col);
      if (!c) continue;
      const before = current[col] ?? defaultValue(c);
      const after = applyDiff(c, before, diff[col], this.sets);
      // A set or map diff always changes the value; a scalar may be sent again unchanged.
      if ((c.kind === 'atom' || c.kind === 'optional') && after === before) continue;
      (next ??= { ...current })[col] = after;
    }
    return next as Row | undefined;
  }

  /** Applies RFC 7047 <table-updates> (legacy monitor / update): old and/or new whole rows. */
  applyUpdate(updates: unknown): RowChange[] {
    const changes: RowChange[] = [];
    for (const [table, rows, schema] of this.iterate(updates)) {
      for (const [uuid, ru] of Object.entries(rows)) {
        const u = ru as { old?: Record<string, unknown>; new?: Record<string, unknown> };
        const current = table.get(uuid);
        if (u.new === undefined) {
          if (!current) continue;
          this.remove(schema.name, table, uuid, current);
          changes.push({ table: schema.name, uuid, kind: 'delete', old: current, new: undefined });
          continue;
        }
        const row = current ? this.replaced(schema, current, u.new, u.old) : this.fullRow(schema, uuid, u.new);
        if (!row) continue;
        this.put(schema.name, table, uuid, current, row);
        changes.push({
          table: schema.name,
          uuid,
          kind: current ? 'modify' : u.old === undefined ? 'insert' : 'modify',
          old: current,
          new: row,
        });
      }
    }
    return changes;
  }

  /**
   * The row after an RFC 7047 modify, or undefined when nothing changed. §4.1.6: "new" holds every
   * monitored column, "old" only those that changed; so only the columns "old" names are decoded
   * (all of "new" when it is absent), and every other value is shared with the current row.
   */
  private replaced(
    schema: TableSchema,
    current: Row,
    wireNew: Record<string, unknown>,
    wireOld: Record<string, unknown> | undefined,
  ): Row | undefined {
    const monitored = this.monitoredSet.get(schema.name);
    let next: Record<string, Value> | undefined;
    for (const col in wireOld ?? wireNew) {
      const wire = wireNew[col];
      if (wire === undefined || !monitored?.has(col)) continue;
      const c = schema.columns.get(col);
      if (!c) continue;
      const value = decodeColumn(c, wire);
      if (valueEquals(current[col], value)) continue;
      (next ??= { ...current })[col] = value;
    }
    return next as Row | undefined;
  }

  /**
   * Replaces the contents with a new initial snapshot (after a reconnect) and reports what differs
   * from before: rows that changed while we were away as 'modify', new ones as 'insert', missing
   * ones as 'delete'. A row that did not change keeps its object and is not reported, so a
   * reconnect of an agent with thousands of ports reports what happened, not every row again.
   */
  resync(format: 'monitor_cond' | 'monitor', updates: unknown): RowChange[] {
    const changes: RowChange[] = [];
    const present = new Map<string, Set<string>>();
    for (const [table, rows, schema] of this.iterate(updates)) {
      const seen = new Set<string>();
      present.set(schema.name, seen);
      for (const [uuid, ru] of Object.entries(rows)) {
        const u = ru as Record<string, unknown>;
        // update2 may send a row holding only defaults as "initial": null.
        const wire = (format === 'monitor_cond' ? ('initial' in u ? u.initial : u.insert) : u.new) as
          Record<string, unknown> | null | undefined;
        if (wire === undefined) throw new OvsdbProtocolError(`initial contents of ${schema.name} ${uuid} hold no row`);
        seen.add(uuid);
        const current = table.get(uuid);
        const row = this.fullRow(schema, uuid, wire);
        if (current && this.sameRow(schema, current, row)) continue;
        this.put(schema.name, table, uuid, current, row);
        changes.push({ table: schema.name, uuid, kind: current ? 'modify' : 'insert', old: current, new: row });
      }
    }
    for (const [name, table] of this.data) {
      const seen = present.get(name);
      for (const [uuid, row] of table) {
        if (seen?.has(uuid)) continue;
        this.remove(name, table, uuid, row);
        changes.push({ table: name, uuid, kind: 'delete', old: row, new: undefined });
      }
    }
    return changes;
  }

  private sameRow(schema: TableSchema, a: Row, b: Row): boolean {
    for (const col of this.monitored.get(schema.name) ?? []) if (!valueEquals(a[col], b[col])) return false;
    return true;
  }

  private *iterate(updates: unknown): Generator<[Map<string, Row>, Record<string, unknown>, TableSchema]> {
    if (typeof updates !== 'object' || updates === null || Array.isArray(updates)) {
      throw new OvsdbProtocolError('monitor update is not an object of tables');
    }
    for (const [name, rows] of Object.entries(updates as Record<string, unknown>)) {
      const table = this.data.get(name);
      if (!table) continue; // a table we did not ask for
      if (typeof rows !== 'object' || rows === null) throw new OvsdbProtocolError(`monitor update for ${name} is not an object`);
      yield [table, rows as Record<string, unknown>, tableOf(this.schema, name)];
    }
  }

  /**
   * A row with every monitored column and no other: update2 leaves out columns holding their
   * default, and a column we did not ask for is not decoded (nothing reads it). Built in one pass
   * (a batch of N ports brings 2N inserts in one update).
   */
  private fullRow(schema: TableSchema, uuid: string, wire: Record<string, unknown> | null): Row {
    const out: Record<string, Value> = { _uuid: uuid };
    const w = wire ?? {};
    for (const col of this.monitored.get(schema.name) ?? []) {
      const c = schema.columns.get(col);
      if (!c) continue;
      const v = w[col];
      out[col] = v === undefined ? defaultValue(c) : decodeColumn(c, v);
    }
    return out as Row;
  }
}
