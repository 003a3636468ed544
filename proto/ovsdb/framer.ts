// A pure codec: byte chunks in, whole JSON values out. RFC 7047 §4 sends JSON-RPC messages back to
// back over the stream with no length prefix and no delimiter, so message boundaries are found by
// tracking object depth outside of strings. It knows nothing of sockets.
//
// Scanning works on bytes: every byte of a multi-byte UTF-8 sequence is >= 0x80, so it can never be
// mistaken for a brace, quote or backslash, and a character split across chunks is decoded only
// once the whole message is assembled.

import { MessageTooLargeError, OvsdbProtocolError } from './errors.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isJsonWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export interface FramerOptions {
  /** Largest single message accepted, in bytes. A larger one raises MessageTooLargeError. */
  maxMessageBytes: number;
}

export class JsonFramer {
  private readonly maxMessageBytes: number;
  /** Pieces of the message being assembled (only the parts that belong to it). */
  private parts: Buffer[] = [];
  private size = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(options: FramerOptions) {
    this.maxMessageBytes = options.maxMessageBytes;
  }

  /** Bytes held for a message not yet complete. */
  get bufferedBytes(): number {
    return this.size;
  }

  /**
   * Feeds one chunk and returns every value it completes, in order. Throws OvsdbProtocolError on
   * bytes that cannot start a message, invalid JSON, or a message over the size limit; after a
   * throw the framer must not be used again (the connection is to be dropped).
   */
  push(chunk: Uint8Array): unknown[] {
    const out: unknown[] = [];
    let start = this.depth > 0 ? 0 : -1; // start of the current message within this chunk
    // The scan state lives in locals while scanning and goes back to the fields at the end: a
    // large update arrives in a process that has not yet optimised this loop, and every field
    // access costs there, per byte. Inside a string only quotes and backslashes matter, so a
    // string's body is skipped in a loop of its own (most of an OVSDB update is strings).
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
        }
        while (i < n) {
          const b = chunk[i++]!;
          if (b === QUOTE) {
            inString = false;
            break;
          }
          if (b === BACKSLASH) {
            if (i === n) escaped = true;
            else i++;
          }
        }
        continue;
      }
      const b = chunk[i]!;
      if (depth === 0) {
        if (!isJsonWhitespace(b)) {
          if (b !== OPEN_BRACE) {
            this.depth = 0;
            throw new OvsdbProtocolError(`OVSDB peer sent ${describeByte(b)} where a JSON-RPC object must start`);
          }
          start = i;
          depth = 1;
        }
      } else if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (--depth === 0) {
          this.depth = 0;
          this.inString = false;
          this.escaped = false;
          this.append(chunk.subarray(start, i + 1));
          out.push(this.finish());
          start = -1;
        }
      }
      i++;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    // The unfinished tail outlives this call, so it is copied: the caller may reuse its chunk, and a
    // view would pin the chunk's whole underlying buffer (a 64 KiB socket read for a few bytes).
    if (depth > 0 && start >= 0) this.append(chunk.subarray(start), true);
    return out;
  }

  private append(piece: Uint8Array, copy = false): void {
    // Checked before buffering, so bufferedBytes never exceeds the limit (memory stays bounded).
    if (this.size + piece.length > this.maxMessageBytes) {
      this.parts = [];
      this.size = 0;
      throw new MessageTooLargeError(this.maxMessageBytes);
    }
    this.size += piece.length;
    this.parts.push(copy ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.length));
  }

  private finish(): unknown {
    const whole = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    const text = whole.toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new OvsdbProtocolError(`OVSDB peer sent invalid JSON (${(err as Error).message}): ${abbreviate(text)}`);
    }
  }
}

function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

function abbreviate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
