// One OVN_Northbound transaction being built: inserts, column updates and set mutations on the
// rows of the replica, plus guards. Rows inserted in the transaction are referred to by named UUID
// and their sets filled in place, so a plan can create a switch and put a port in it at once.
// `ops()` orders the operations: guards, inserts (children before the rows that refer to them),
// updates, mutations, deletes.

import type { Operation } from '../../../proto/ovsdb/client.js';
import { type WireAtom, type WireNamedUuid, type WireUuid, namedUuid, set, uuid } from '../../../proto/ovsdb/encoding.js';

export type RowRef = WireUuid | WireNamedUuid;

/** Tables in the order their inserts go: a row may refer only to rows inserted before it. */
const INSERT_ORDER = ['ACL', 'DHCP_Options', 'Logical_Switch_Port', 'Logical_Switch', 'Port_Group'] as const;
export type NbTable = (typeof INSERT_ORDER)[number];

interface Insert {
  table: NbTable;
  name: string;
  row: Record<string, unknown>;
  /** Set columns gathered until ops() writes them. */
  sets: Map<string, WireAtom[]>;
}

interface Mutation {
  table: NbTable;
  uuid: string;
  insert: Map<string, WireAtom[]>;
  delete: Map<string, WireAtom[]>;
}

/** A guard: no row of `table` named `name` may exist (a foreign one, since ours are in the replica). */
export interface NameGuard {
  table: NbTable;
  name: string;
}

/**
 * A guard: a row's column still holds what the plan read from the replica. Another client's change
 * since (a port added to a switch being deleted) fails the transaction at this guard, and the write
 * is planned again on the changed replica.
 */
export interface ColumnGuard {
  table: NbTable;
  uuid: string;
  column: string;
  value: WireAtom | ['set', WireAtom[]];
  /** For logs: the row and column ("Logical_Switch mooring-net-x ports"). */
  label: string;
}

export class NbTransaction {
  private readonly inserts: Insert[] = [];
  private readonly insertsByName = new Map<string, Insert>();
  private readonly updates: Operation[] = [];
  private readonly mutations = new Map<string, Mutation>();
  private readonly deletes: Operation[] = [];
  readonly guards: NameGuard[] = [];
  /** Checked after the name guards (their operations follow those in ops()). */
  readonly columnGuards: ColumnGuard[] = [];
  /** Names of rows created and removed, for logs and the reconcile report ("Table name"). */
  readonly created: string[] = [];
  readonly removed: string[] = [];
  private next = 1;

  get isEmpty(): boolean {
    return this.inserts.length === 0 && this.updates.length === 0 && this.mutations.size === 0 && this.deletes.length === 0;
  }

  /** Inserts a row (after a guard that no row of that name exists when `guardName` is given). */
  insert(table: NbTable, row: Record<string, unknown>, label: string, guardName?: string): WireNamedUuid {
    const name = `row${this.next++}`;
    const ins: Insert = { table, name, row, sets: new Map() };
    this.inserts.push(ins);
    this.insertsByName.set(name, ins);
    if (guardName !== undefined) this.guards.push({ table, name: guardName });
    this.created.push(`${table} ${label}`);
    return namedUuid(name);
  }

  /** Fails the transaction unless `column` of the row still holds `value` when it runs. */
  guardColumn(table: NbTable, rowUuid: string, column: string, value: WireAtom | ['set', WireAtom[]], label: string): void {
    this.columnGuards.push({ table, uuid: rowUuid, column, value, label });
  }

  update(table: NbTable, rowUuid: string, row: Record<string, unknown>): void {
    this.updates.push({ op: 'update', table, where: [['_uuid', '==', uuid(rowUuid)]], row });
  }

  /** Deletes a root row (a non-root row goes when nothing refers to it any more). */
  delete(table: NbTable, rowUuid: string, label: string): void {
    this.deletes.push({ op: 'delete', table, where: [['_uuid', '==', uuid(rowUuid)]] });
    this.removed.push(`${table} ${label}`);
  }

  /** Notes a non-root row that this transaction leaves unreferenced (OVSDB collects it). */
  dropped(table: NbTable, label: string): void {
    this.removed.push(`${table} ${label}`);
  }

  addToSet(table: NbTable, ref: RowRef, column: string, value: WireAtom): void {
    this.change(table, ref, column, value, 'insert');
  }

  removeFromSet(table: NbTable, ref: RowRef, column: string, value: WireAtom): void {
    this.change(table, ref, column, value, 'delete');
  }

  ops(): Operation[] {
    const guards: Operation[] = this.guards.map((g) => ({
      op: 'wait',
      table: g.table,
      where: [['name', '==', g.name]],
      columns: ['name'],
      until: '==',
      rows: [],
      timeout: 0,
    }));
    for (const g of this.columnGuards) {
      guards.push({
        op: 'wait',
        table: g.table,
        where: [['_uuid', '==', uuid(g.uuid)]],
        columns: [g.column],
        until: '==',
        rows: [{ [g.column]: g.value }],
        timeout: 0,
      });
    }
    const inserts = [...this.inserts]
      .sort((a, b) => INSERT_ORDER.indexOf(a.table) - INSERT_ORDER.indexOf(b.table))
      .map((i): Operation => {
        const row: Record<string, unknown> = { ...i.row };
        for (const [col, values] of i.sets) row[col] = set(values);
        return { op: 'insert', table: i.table, 'uuid-name': i.name, row };
      });
    const mutations = [...this.mutations.values()].map((m): Operation => {
      const list: unknown[] = [];
      for (const [col, values] of m.insert) list.push([col, 'insert', set(values)]);
      for (const [col, values] of m.delete) list.push([col, 'delete', set(values)]);
      return { op: 'mutate', table: m.table, where: [['_uuid', '==', uuid(m.uuid)]], mutations: list };
    });
    return [...guards, ...inserts, ...this.updates, ...mutations, ...this.deletes];
  }

  private change(table: NbTable, ref: RowRef, column: string, value: WireAtom, kind: 'insert' | 'delete'): void {
    if (ref[0] === 'named-uuid') {
      const ins = this.insertsByName.get(ref[1]);
      if (!ins) throw new Error(`no row ${ref[1]} in this transaction`);
      const values = ins.sets.get(column) ?? [];
      if (kind === 'insert') ins.sets.set(column, [...values, value]);
      else
        ins.sets.set(
          column,
          values.filter((v) => JSON.stringify(v) !== JSON.stringify(value)),
        );
      return;
    }
    const key = `${table}:${ref[1]}`;
    let m = this.mutations.get(key);
    if (!m) this.mutations.set(key, (m = { table, uuid: ref[1], insert: new Map(), delete: new Map() }));
    const target = kind === 'insert' ? m.insert : m.delete;
    target.set(column, [...(target.get(column) ?? []), value]);
  }
}
