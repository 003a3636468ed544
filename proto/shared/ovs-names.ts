// What a bound port's names and external_ids may hold, checked the same way by the coordinator's API
// and by the agent before anything reaches OVSDB. The rules are those of the parts downstream:
// - ovsdb-server parses requests with its own JSON parser and drops the whole connection (no
//   reply) on a NUL in a string ("null bytes not supported in quoted strings") or on a lone
//   surrogate escape ("malformed escaped surrogate pair"); verified against OVS 3.1.0.
// - A port name is a Linux netdev name: dev_valid_name() wants 1 to IFNAMSIZ-1 (15) bytes, not
//   "." or "..", and no '/', ':' or whitespace.
// - Other control characters pass OVSDB but end up in ovs-vsctl output, logs and OVN: refused too.
// Each check returns the problem as a predicate ("contains ...", "is ...") to follow the field
// or the quoted value in a message, or null.

/** IFNAMSIZ - 1: the longest netdev name, in bytes. */
export const PORT_NAME_MAX_BYTES = 15;
/** The longest iface-id or vm-uuid, in bytes (OVN logical port names and machine ids are far shorter). */
export const EXTERNAL_ID_MAX_BYTES = 255;

export const MAC_ADDRESS = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

// C0 controls (NUL included), DEL and the C1 controls: Unicode general category Cc.
const CONTROL = /\p{Cc}/u;
// A UTF-16 surrogate without its partner: not a character, and OVS's parser refuses its escape.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NETDEV_FORBIDDEN = /[\s/:]/u;

/** Why `value` cannot be sent to OVSDB as text, or null: control characters and broken UTF-16. */
export function textProblem(value: string): string | null {
  const control = CONTROL.exec(value);
  if (control)
    return (
      `contains the control character U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at index ` +
      `${control.index}`
    );
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) return `contains an unpaired UTF-16 surrogate at index ${surrogate.index}`;
  return null;
}

function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** A port (and interface) name on the bridge: a Linux netdev name such as pf0vf3. */
export function portNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name === '') return 'is empty';
  const text = textProblem(name);
  if (text) return text;
  if (byteLength(name) > PORT_NAME_MAX_BYTES)
    return `is ${byteLength(name)} bytes long; a Linux interface name has at most ${PORT_NAME_MAX_BYTES}`;
  if (name === '.' || name === '..') return 'is not a usable interface name';
  if (NETDEV_FORBIDDEN.test(name)) return "contains whitespace, '/' or ':', which interface names cannot";
  return null;
}

/** external_ids:iface-id or external_ids:vm-uuid: non-empty printable text of bounded length. */
export function externalIdProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'is empty';
  const text = textProblem(value);
  if (text) return text;
  if (byteLength(value) > EXTERNAL_ID_MAX_BYTES) return `is ${byteLength(value)} bytes long; at most ${EXTERNAL_ID_MAX_BYTES} are allowed`;
  return null;
}

/** A MAC address in any case; compare and store the lowercase form (normaliseMac). */
export function macProblem(mac: unknown): string | null {
  if (typeof mac !== 'string' || mac === '') return 'is empty';
  const text = textProblem(mac);
  if (text) return text;
  return MAC_ADDRESS.test(mac.toLowerCase()) ? null : 'is not a MAC address like 52:54:00:12:34:56';
}

export function normaliseMac(mac: string): string {
  return mac.toLowerCase();
}

export interface PortSpecFields {
  name: unknown;
  ifaceId: unknown;
  mac: unknown;
  vmUuid: unknown;
}

/** The first bad field of a port binding and what is wrong with it, or null. */
export function portSpecProblem(spec: PortSpecFields): { field: keyof PortSpecFields; problem: string } | null {
  const checks: [keyof PortSpecFields, (v: unknown) => string | null][] = [
    ['name', portNameProblem],
    ['ifaceId', externalIdProblem],
    ['mac', macProblem],
    ['vmUuid', externalIdProblem],
  ];
  for (const [field, check] of checks) {
    const problem = check(spec[field]);
    if (problem) return { field, problem };
  }
  return null;
}
