// Database schemas (RFC 7047 §3.2) reduced to what decoding needs: each column's kind.

import { SchemaError } from './errors.js';

export type BaseTypeName = 'integer' | 'real' | 'boolean' | 'string' | 'uuid';

/**
 * atom: exactly one value; optional: zero or one (decoded value|null); set: any other min/max;
 * map: has a value type. update2 diffs only composite types (max > 1); optional carries its new value.
 */
export type ColumnKind = 'atom' | 'optional' | 'set' | 'map';

export interface ColumnSchema {
  kind: ColumnKind;
  key: BaseTypeName;
  value?: BaseTypeName;
  ephemeral: boolean;
}

export interface TableSchema {
  name: string;
  columns: Map<string, ColumnSchema>;
  isRoot: boolean;
  indexes: string[][];
}

export interface DbSchema {
  name: string;
  version: string;
  tables: Map<string, TableSchema>;
}

function baseName(t: unknown, where: string): BaseTypeName {
  const name = typeof t === 'string' ? t : (t as { type?: unknown } | null)?.type;
  if (name === 'integer' || name === 'real' || name === 'boolean' || name === 'string' || name === 'uuid') return name;
  throw new SchemaError(`schema ${where}: unknown base type ${JSON.stringify(t)}`);
}

export function parseColumnType(type: unknown, where: string): Omit<ColumnSchema, 'ephemeral'> {
  if (typeof type === 'string') return { kind: 'atom', key: baseName(type, where) };
  if (typeof type !== 'object' || type === null) throw new SchemaError(`schema ${where}: bad column type`);
  const t = type as { key?: unknown; value?: unknown; min?: unknown; max?: unknown };
  const key = baseName(t.key, where);
  const min = t.min === undefined ? 1 : Number(t.min);
  const max = t.max === undefined ? 1 : t.max === 'unlimited' ? Infinity : Number(t.max);
  if (t.value !== undefined) return { kind: 'map', key, value: baseName(t.value, where) };
  if (min === 1 && max === 1) return { kind: 'atom', key };
  if (min === 0 && max === 1) return { kind: 'optional', key };
  return { kind: 'set', key };
}

export function parseSchema(json: unknown): DbSchema {
  const s = json as { name?: unknown; version?: unknown; tables?: Record<string, unknown> };
  if (typeof s?.name !== 'string' || typeof s.tables !== 'object' || s.tables === null) {
    throw new SchemaError('schema is not an RFC 7047 database schema object');
  }
  const tables = new Map<string, TableSchema>();
  for (const [tname, tjson] of Object.entries(s.tables)) {
    const t = tjson as { columns?: Record<string, { type: unknown; ephemeral?: boolean }>; isRoot?: boolean; indexes?: string[][] };
    const columns = new Map<string, ColumnSchema>();
    for (const [cname, c] of Object.entries(t.columns ?? {})) {
      columns.set(cname, { ...parseColumnType(c.type, `${tname}.${cname}`), ephemeral: c.ephemeral === true });
    }
    tables.set(tname, { name: tname, columns, isRoot: t.isRoot === true, indexes: t.indexes ?? [] });
  }
  return { name: s.name, version: typeof s.version === 'string' ? s.version : '', tables };
}

export function tableOf(schema: DbSchema, table: string): TableSchema {
  const t = schema.tables.get(table);
  if (!t) throw new SchemaError(`database ${schema.name} has no table ${table}`);
  return t;
}
