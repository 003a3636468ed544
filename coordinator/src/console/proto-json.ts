// Proto3 JSON <-> protobuf binary for the console's JSON API, from the same .proto files the gRPC
// server loads. Pure: no I/O beyond reading the .proto files once.
//
// In: field names as the .proto spells them (snake_case) or as lowerCamelCase (proto3 JSON's
// json_name), enums by name or number, 64-bit integers as numbers or decimal strings, bytes as
// base64, null meaning the default. protobufjs's fromObject drops what it does not know (an
// unknown field, an enum name with a typo) and coerces wrong types silently, so the JSON is
// checked against the message type first and refused naming the field, as the proto3 JSON spec
// asks of a parser ("unknown fields are rejected by default").
// Out: snake_case names, enums as names, 64-bit integers as strings, every field present (proto3
// JSON's "emit default values" option: a page never has to guess a missing zero).
import protobuf from 'protobufjs';
import { PROTO_FILES, protoRoot } from '../../../proto/loader.js';
import { ProtoJsonError } from './errors.js';

const OUTPUT_OPTIONS: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  bytes: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: false,
  json: true,
};

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const UINT32 = { min: 0, max: 2 ** 32 - 1 };
const INT_RANGES: Readonly<Record<string, { min: number; max: number }>> = {
  int32: INT32,
  sint32: INT32,
  sfixed32: INT32,
  uint32: UINT32,
  fixed32: UINT32,
};
const SIGNED_64 = new Set(['int64', 'sint64', 'sfixed64']);
const UNSIGNED_64 = new Set(['uint64', 'fixed64']);
const FLOATS = new Set(['double', 'float']);
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

type Json = Record<string, unknown>;

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

export class ProtoJson {
  /** Per message type: its fields by .proto name and by lowerCamelCase name. */
  private readonly fieldIndex = new Map<protobuf.Type, Map<string, protobuf.Field>>();

  private constructor(private readonly root: protobuf.Root) {}

  /** Loads mooring/v1/*.proto keeping the .proto's field names. */
  static load(): ProtoJson {
    const dir = protoRoot();
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => `${dir}/${target}`;
    root.loadSync([...PROTO_FILES], { keepCase: true });
    root.resolveAll();
    return new ProtoJson(root);
  }

  /** The service's methods: name, full request and response type names, and whether either streams. */
  methods(service: string): { name: string; requestType: string; responseType: string; streaming: boolean }[] {
    const found = this.root.lookup(service);
    if (!(found instanceof protobuf.Service)) return [];
    return found.methodsArray.map((m) => ({
      name: m.name,
      requestType: (m.resolvedRequestType as protobuf.Type).fullName.replace(/^\./, ''),
      responseType: (m.resolvedResponseType as protobuf.Type).fullName.replace(/^\./, ''),
      streaming: m.requestStream === true || m.responseStream === true,
    }));
  }

  /** Proto3 JSON of `typeName` -> its binary encoding; ProtoJsonError naming the field otherwise. */
  toBinary(typeName: string, json: unknown): Uint8Array {
    const type = this.root.lookupType(typeName);
    const plain = this.message(type, json, '');
    return type.encode(type.fromObject(plain)).finish();
  }

  /** The binary encoding of `typeName` -> proto3 JSON (snake_case names, defaults present). */
  fromBinary(typeName: string, bytes: Uint8Array): Json {
    const type = this.root.lookupType(typeName);
    return type.toObject(type.decode(bytes), OUTPUT_OPTIONS);
  }

  private fields(type: protobuf.Type): Map<string, protobuf.Field> {
    let index = this.fieldIndex.get(type);
    if (!index) {
      index = new Map();
      for (const field of type.fieldsArray) {
        index.set(field.name, field);
        index.set(camel(field.name), field);
      }
      this.fieldIndex.set(type, index);
    }
    return index;
  }

  private message(type: protobuf.Type, json: unknown, path: string): Json {
    const where = path || type.name;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new ProtoJsonError(path, `${where}: expected an object (${type.fullName.slice(1)}), got ${describe(json)}`);
    }
    const out: Json = {};
    const index = this.fields(type);
    for (const [key, value] of Object.entries(json as Json)) {
      const field = index.get(key);
      const at = path ? `${path}.${key}` : key;
      if (!field) throw new ProtoJsonError(at, `${at}: unknown field (${type.fullName.slice(1)} has no field "${key}")`);
      if (field.name in out) throw new ProtoJsonError(at, `${at}: field ${field.name} is given twice`);
      if (value === null) continue; // proto3 JSON: null is the field's default
      out[field.name] = this.field(field, value, at);
    }
    return out;
  }

  private field(field: protobuf.Field, value: unknown, at: string): unknown {
    if (field instanceof protobuf.MapField) {
      if (typeof value !== 'object' || Array.isArray(value))
        throw new ProtoJsonError(at, `${at}: expected an object (a map), got ${describe(value)}`);
      const out: Json = {};
      for (const [k, v] of Object.entries(value as Json)) {
        if (field.keyType !== 'string' && field.keyType !== 'bool' && !/^-?\d+$/.test(k))
          throw new ProtoJsonError(`${at}.${k}`, `${at}: map key "${k}" is not an integer`);
        out[k] = this.single(field, v, `${at}.${k}`);
      }
      return out;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) throw new ProtoJsonError(at, `${at}: expected an array, got ${describe(value)}`);
      return value.map((v, i) => this.single(field, v, `${at}[${i}]`));
    }
    return this.single(field, value, at);
  }

  /** One value of `field` (an element of a list, a map value, or the field itself). */
  private single(field: protobuf.Field, value: unknown, at: string): unknown {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.message(resolved, value, at);
    if (resolved instanceof protobuf.Enum) return enumValue(resolved, value, at);
    return scalar(field.type, value, at);
  }
}

function enumValue(type: protobuf.Enum, value: unknown, at: string): string | number {
  if (typeof value === 'string' && Object.hasOwn(type.values, value)) return value;
  if (typeof value === 'number' && Number.isInteger(value) && Object.values(type.values).includes(value)) return value;
  const names = Object.keys(type.values).join(', ');
  throw new ProtoJsonError(at, `${at}: ${describe(value)} is not a ${type.fullName.slice(1)} (expected one of ${names})`);
}

function scalar(kind: string, value: unknown, at: string): unknown {
  const wrong = (expected: string): ProtoJsonError => new ProtoJsonError(at, `${at}: expected ${expected}, got ${describe(value)}`);
  if (kind === 'string') {
    if (typeof value !== 'string') throw wrong('a string');
    return value;
  }
  if (kind === 'bool') {
    if (typeof value !== 'boolean') throw wrong('true or false');
    return value;
  }
  if (kind === 'bytes') {
    if (typeof value !== 'string' || !BASE64.test(value)) throw wrong('base64 text');
    return value;
  }
  if (FLOATS.has(kind)) {
    if (typeof value === 'number') return value;
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    throw wrong('a number');
  }
  const range = INT_RANGES[kind];
  if (range) {
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw wrong(`an integer (${kind})`);
    if (n < range.min || n > range.max) throw wrong(`an integer in ${range.min}..${range.max} (${kind})`);
    return n;
  }
  if (SIGNED_64.has(kind) || UNSIGNED_64.has(kind)) {
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    const pattern = UNSIGNED_64.has(kind) ? /^\d{1,20}$/ : /^-?\d{1,19}$/;
    if (typeof text !== 'string' || !pattern.test(text)) throw wrong(`an integer (${kind}, a number or a decimal string)`);
    const big = BigInt(text);
    const [min, max] = UNSIGNED_64.has(kind) ? [0n, 2n ** 64n - 1n] : [-(2n ** 63n), 2n ** 63n - 1n];
    if (big < min || big > max) throw wrong(`an integer in ${min}..${max} (${kind})`);
    return text;
  }
  throw new ProtoJsonError(at, `${at}: field type ${kind} is not supported`);
}
