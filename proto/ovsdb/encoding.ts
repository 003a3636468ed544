// RFC 7047 §5.1 value encoding. On the wire: atoms are JSON scalars, a UUID is ["uuid", U], a
// reference to a row inserted in the same transaction is ["named-uuid", NAME], a set is
// ["set", [...]] except that a one-element set may be the bare atom, and a map is ["map", [[k, v]...]].
// Decoded here: UUIDs become plain strings, sets arrays, maps Map objects, optional columns value|null.

import { OvsdbProtocolError } from './errors.js';

export type Atom = string | number | boolean;
export type WireUuid = ['uuid', string];
export type WireNamedUuid = ['named-uuid', string];
export type WireAtom = Atom | WireUuid | WireNamedUuid;
export type WireSet = ['set', WireAtom[]];
export type WireMap = ['map', [WireAtom, WireAtom][]];
export type Value = Atom | null | Atom[] | Map<Atom, Atom>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NAMED_UUID_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function uuid(value: string): WireUuid {
  if (!UUID_RE.test(value)) throw new TypeError(`not a UUID: ${JSON.stringify(value)}`);
  return ['uuid', value];
}

/** A row inserted earlier in the same transaction; the name is an id (letters, digits, _). */
export function namedUuid(name: string): WireNamedUuid {
  if (!NAMED_UUID_RE.test(name)) throw new TypeError(`named-uuid must be an id: ${JSON.stringify(name)}`);
  return ['named-uuid', name];
}

export function set(atoms: Iterable<WireAtom>): WireSet {
  return ['set', [...atoms]];
}

export function map(entries: Map<WireAtom, WireAtom> | Record<string, WireAtom>): WireMap {
  const pairs = entries instanceof Map ? [...entries] : Object.entries(entries);
  return ['map', pairs];
}

function isScalar(v: unknown): v is Atom {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Decodes an atom; UUIDs and named UUIDs become their string. */
export function decodeAtom(v: unknown): Atom {
  if (isScalar(v)) return v;
  if (Array.isArray(v) && v.length === 2 && (v[0] === 'uuid' || v[0] === 'named-uuid') && typeof v[1] === 'string') {
    return v[1];
  }
  throw new OvsdbProtocolError(`OVSDB value is not an atom: ${JSON.stringify(v)}`);
}

/** Decodes a set, accepting the bare single-element form. */
export function decodeSet(v: unknown): Atom[] {
  if (Array.isArray(v) && v[0] === 'set') {
    if (v.length !== 2 || !Array.isArray(v[1])) throw new OvsdbProtocolError(`OVSDB set is malformed: ${JSON.stringify(v)}`);
    return (v[1] as unknown[]).map(decodeAtom);
  }
  return [decodeAtom(v)];
}

export function decodeMap(v: unknown): Map<Atom, Atom> {
  if (!Array.isArray(v) || v[0] !== 'map' || v.length !== 2 || !Array.isArray(v[1])) {
    throw new OvsdbProtocolError(`OVSDB map is malformed: ${JSON.stringify(v)}`);
  }
  const out = new Map<Atom, Atom>();
  for (const pair of v[1] as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new OvsdbProtocolError(`OVSDB map pair is malformed: ${JSON.stringify(pair)}`);
    out.set(decodeAtom(pair[0]), decodeAtom(pair[1]));
  }
  return out;
}

/** A string map (external_ids, other_config) as a plain record, the usual way to read one. */
export function mapToRecord(m: Map<Atom, Atom>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of m) out[String(k)] = String(v);
  return out;
}
