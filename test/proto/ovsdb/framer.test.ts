// The pure framer: byte chunks in, whole JSON values out (RFC 7047 §4: back-to-back JSON values,
// no length prefix, no delimiter).
import { describe, expect, it } from 'vitest';
import { JsonFramer } from '../../../proto/ovsdb/framer.js';
import { MessageTooLargeError, OvsdbProtocolError } from '../../../proto/ovsdb/errors.js';

const LIMIT = 1 << 20;
const enc = (s: string): Buffer => Buffer.from(s, 'utf8');

function feed(chunks: Uint8Array[], maxMessageBytes = LIMIT): unknown[] {
  const f = new JsonFramer({ maxMessageBytes });
  return chunks.flatMap((c) => f.push(c));
}

function splitAt(bytes: Buffer, ...cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

// Strings that would fool a scanner which ignores string context or escapes.
const TRICKY = [
  'a\\"}{',
  '}}}]]][[[{{{',
  '\\',
  '"',
  'end with backslash \\',
  'quote " and brace } and bracket ] inside',
  'tab\tnewline\ncr\r',
];
const UNICODE = ['é', '€', '𝄞', '中文字符', 'naïve café – 𝄞€é', '\u0000\u001f\u2028'];

describe('JsonFramer', () => {
  it('returns several messages from one chunk, in order, with whitespace between them', () => {
    const a = { id: 1, result: [] as unknown[], error: null };
    const b = { method: 'update2', params: ['m', { T: {} }], id: null };
    const c = { id: 'echo', result: [], error: null };
    const wire = `${JSON.stringify(a)}${JSON.stringify(b)} \n\t\r ${JSON.stringify(c)}\n`;
    const f = new JsonFramer({ maxMessageBytes: LIMIT });
    expect(f.push(enc(wire))).toEqual([a, b, c]);
    expect(f.bufferedBytes).toBe(0);
  });

  it('keeps an incomplete message until its last byte arrives', () => {
    const f = new JsonFramer({ maxMessageBytes: LIMIT });
    expect(f.push(enc('{"id":1,"result":{"a":[1,'))).toEqual([]);
    expect(f.bufferedBytes).toBe(25);
    expect(f.push(enc('2]}'))).toEqual([]);
    expect(f.push(enc(',"error":null}{"id":'))).toEqual([{ id: 1, result: { a: [1, 2] }, error: null }]);
    expect(f.bufferedBytes).toBe(6);
    expect(f.push(enc('2,"result":0,"error":null}'))).toEqual([{ id: 2, result: 0, error: null }]);
  });

  it('frames the same messages whatever byte position the stream is split at', () => {
    const messages = [
      { method: 'echo', params: TRICKY, id: 'echo' },
      { id: 7, result: { nested: [[{}], { '{': '}' }], unicode: UNICODE }, error: null },
      { method: 'update2', params: ['mon', { Bridge: { u: { modify: { name: 'br-int' } } } }], id: null },
    ];
    const bytes = enc(messages.map((m) => JSON.stringify(m)).join(' '));
    for (let i = 0; i <= bytes.length; i++) {
      expect(feed(splitAt(bytes, i)), `split at ${i}`).toEqual(messages);
    }
    for (let i = 0; i < bytes.length; i += 7) {
      expect(feed(splitAt(bytes, i, Math.min(bytes.length, i + 3))), `split at ${i} and ${i + 3}`).toEqual(messages);
    }
    const byteByByte = [...bytes].map((b) => Uint8Array.of(b));
    expect(feed(byteByByte)).toEqual(messages);
  });

  it.each(TRICKY)('keeps braces, brackets, quotes and backslashes inside strings: %j', (s) => {
    const msg = { method: 'echo', params: [s, { [s]: s }], id: 'echo' };
    const bytes = enc(JSON.stringify(msg));
    for (let i = 0; i <= bytes.length; i++) expect(feed(splitAt(bytes, i))).toEqual([msg]);
  });

  it('decodes \\u escapes, including escaped quotes, backslashes and surrogate pairs', () => {
    const wire = '{"id":1,"result":["\\u0022}\\u005c","\\u00e9\\u20ac","\\ud834\\udd1e","\\\\\\"{"],"error":null}';
    const bytes = enc(wire);
    for (let i = 0; i <= bytes.length; i++) {
      expect(feed(splitAt(bytes, i))).toEqual([{ id: 1, result: ['"}\\', 'é€', '𝄞', '\\"{'], error: null }]);
    }
  });

  it.each(UNICODE)('reassembles multi-byte UTF-8 split inside a character: %j', (s) => {
    const msg = { id: 3, result: [s, `{${s}}`, { [s]: s }], error: null };
    const bytes = enc(JSON.stringify(msg));
    for (let i = 0; i <= bytes.length; i++) expect(feed(splitAt(bytes, i)), `split at ${i}`).toEqual([msg]);
    expect(feed([...bytes].map((b) => Uint8Array.of(b)))).toEqual([msg]);
  });

  it('does not depend on the caller keeping a pushed chunk unchanged', () => {
    // A reader that recycles one buffer (fs.read into the same Buffer, a pooled socket buffer)
    // overwrites a chunk after push() returns; the framer must have copied what it keeps.
    const msg = { id: 9, result: 'abcdefgh', error: null };
    const bytes = enc(JSON.stringify(msg));
    const f = new JsonFramer({ maxMessageBytes: LIMIT });
    const scratch = Buffer.alloc(8);
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i += scratch.length) {
      const n = bytes.copy(scratch, 0, i, i + scratch.length);
      out.push(...f.push(scratch.subarray(0, n)));
      scratch.fill(0x7d); // '}' everywhere
    }
    expect(out).toEqual([msg]);
  });

  it.each([
    ['[1,2]', "'['"],
    ['"string"', `'"'`],
    ['42', "'4'"],
    ['null', "'n'"],
    ['\u0000', 'byte 0x00'],
    ['\xff', 'byte 0xc3'],
  ])('rejects a message starting with %j, naming the byte', (wire, named) => {
    const err = catchError(() => feed([enc(wire)]));
    expect(err).toBeInstanceOf(OvsdbProtocolError);
    expect((err as Error).message).toContain(named);
    expect((err as Error).message).toMatch(/where a JSON-RPC object must start/);
  });

  it('rejects a non-object byte after a complete message, returning nothing half-done', () => {
    const f = new JsonFramer({ maxMessageBytes: LIMIT });
    expect(f.push(enc('{"id":1,"result":1,"error":null}'))).toHaveLength(1);
    expect(() => f.push(enc(' x{}'))).toThrow(/'x' where a JSON-RPC object must start/);
  });

  it.each(['{"a":}', '{"a" 1}', '{]', '{"a":[1,2}}', "{'a':1}", '{"a":01}', '{"a":tru}'])('rejects invalid JSON %j', (wire) => {
    const err = catchError(() => feed([enc(wire)]));
    expect(err).toBeInstanceOf(OvsdbProtocolError);
    expect(err).not.toBeInstanceOf(MessageTooLargeError);
    expect((err as Error).message).toMatch(/invalid JSON/);
    expect((err as Error).message).toContain(wire);
  });

  describe('maximum message size', () => {
    const MAX = 1024;
    // A message of exactly n bytes: {"id":1,"result":"xxxx","error":null}
    const messageOf = (n: number): Buffer => {
      const shell = '{"id":1,"result":"","error":null}';
      return enc(shell.replace('""', `"${'x'.repeat(n - shell.length)}"`));
    };

    it('accepts a message of exactly the limit, in one chunk and in small chunks', () => {
      const exact = messageOf(MAX);
      expect(exact.length).toBe(MAX);
      expect(feed([exact], MAX)).toHaveLength(1);
      const pieces = [];
      for (let i = 0; i < exact.length; i += 10) pieces.push(exact.subarray(i, i + 10));
      expect(feed(pieces, MAX)).toHaveLength(1);
      // Two limit-sized messages in one chunk are two messages, not one too-large one.
      expect(feed([Buffer.concat([exact, exact])], MAX)).toHaveLength(2);
    });

    it('rejects one byte over the limit with MessageTooLargeError', () => {
      const over = messageOf(MAX + 1);
      const err = catchError(() => feed([over], MAX));
      expect(err).toBeInstanceOf(MessageTooLargeError);
      expect(err).toBeInstanceOf(OvsdbProtocolError);
      expect((err as MessageTooLargeError).limitBytes).toBe(MAX);
      expect((err as Error).message).toMatch(/larger than 1024 bytes/);
    });

    it('rejects an oversized message arriving in many small chunks, never buffering more than the limit', () => {
      const f = new JsonFramer({ maxMessageBytes: MAX });
      let peak = 0;
      let thrown: unknown;
      const chunk = enc('x'.repeat(16));
      try {
        f.push(enc('{"id":1,"result":"'));
        // A peer streaming an endless string: it must be cut off at the limit, not buffered.
        for (let i = 0; i < 10_000; i++) {
          f.push(chunk);
          peak = Math.max(peak, f.bufferedBytes);
        }
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(MessageTooLargeError);
      expect(peak).toBeLessThanOrEqual(MAX);
      expect(f.bufferedBytes).toBeLessThanOrEqual(MAX);
    });

    it('counts only the message being assembled, not whitespace or earlier messages', () => {
      const f = new JsonFramer({ maxMessageBytes: MAX });
      const exact = messageOf(MAX);
      for (let i = 0; i < 5; i++) {
        expect(f.push(Buffer.concat([enc('   \n'), exact.subarray(0, 500)]))).toEqual([]);
        expect(f.push(exact.subarray(500))).toHaveLength(1);
        expect(f.bufferedBytes).toBe(0);
      }
    });
  });
});
