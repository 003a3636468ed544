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

// JSON.stringify escapes every control character, NUL included, as \u00XX, and every lone surrogate
// as \udXXX in lower case (ES2019 well-formed JSON.stringify); a valid surrogate pair is written
// as the character itself. So the serialised request can hold a string ovsdb-server refuses only
// where one of these escapes appears. (An escaped backslash followed by "u0000" matches too;
// unparseableStringPath then finds nothing and the request goes out.)
const MAYBE_UNPARSEABLE = /\\u(?:0000|d[89a-f])/;

/**
 * Whether serialised JSON text may hold a string ovsdb-server would refuse. One native scan of the
 * text instead of a walk over every value of the request: a 300-port transaction has thousands of
 * strings, and the walk is needed only to name the culprit.
 */
export function mayHoldUnparseable(json: string): boolean {
  return MAYBE_UNPARSEABLE.test(json);
}
