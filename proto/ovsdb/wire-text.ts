// Strings ovsdb-server cannot take. Its JSON parser (lib/json.c) refuses a NUL byte in a quoted
// string ("null bytes not supported in quoted strings") and an escaped surrogate without its pair
// ("malformed escaped surrogate pair"), and it answers neither with an error: it drops the whole
// connection as a protocol error (verified against OVS 3.1.0). A client that sends one loses every
// outstanding request and its monitors, so such a request is refused here, before it is written.

// NUL, or a UTF-16 surrogate without its partner (JSON.stringify writes it as a \uD8xx escape).
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNPARSEABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The JSON path ("[1].row.name") of the first string or key ovsdb-server would refuse, or null. */
export function unparseableStringPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return UNPARSEABLE.test(value) ? path || '(the value)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unparseableStringPath(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const at = `${path}.${JSON.stringify(key).slice(1, -1)}`;
      if (UNPARSEABLE.test(key)) return `${at} (the key)`;
      const found = unparseableStringPath(v, at);
      if (found !== null) return found;
    }
  }
  return null;
}
