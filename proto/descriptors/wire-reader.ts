// A reader of protobuf wire format (https://protobuf.dev/programming-guides/encoding/), enough to
// walk descriptor.proto messages: varints, length-delimited fields, and skipping 32- and 64-bit
// ones. Pure: bytes in, fields out; the bytes of a message are kept as they came, never re-encoded.
import { MalformedDescriptorError } from './errors.js';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export type WireField =
  | { readonly number: number; readonly wireType: typeof WIRE_VARINT; readonly value: number }
  | { readonly number: number; readonly wireType: typeof WIRE_LEN; readonly bytes: Uint8Array }
  | { readonly number: number; readonly wireType: typeof WIRE_I64 | typeof WIRE_I32 };

/**
 * The fields of one message in the order they are written. A varint's value is exact up to 2^53;
 * descriptor.proto's varints (field numbers, labels, types, booleans) are far below that.
 */
export function* wireFields(bytes: Uint8Array): Generator<WireField> {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= bytes.length) throw new MalformedDescriptorError(`varint runs past the end at byte ${at}`);
      const byte = bytes[at++] as number;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new MalformedDescriptorError(`varint longer than 10 bytes at byte ${at}`);
  };
  while (at < bytes.length) {
    const start = at;
    const key = varint();
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (number === 0) throw new MalformedDescriptorError(`field number 0 at byte ${start}`);
    switch (wireType) {
      case WIRE_VARINT:
        yield { number, wireType, value: varint() };
        break;
      case WIRE_LEN: {
        const length = varint();
        if (at + length > bytes.length) throw new MalformedDescriptorError(`field ${number} is ${length} bytes, past the end`);
        yield { number, wireType, bytes: bytes.subarray(at, at + length) };
        at += length;
        break;
      }
      case WIRE_I64:
      case WIRE_I32: {
        const width = wireType === WIRE_I64 ? 8 : 4;
        if (at + width > bytes.length) throw new MalformedDescriptorError(`field ${number} runs past the end`);
        at += width;
        yield { number, wireType };
        break;
      }
      default:
        // 3 and 4 are proto2 groups, which descriptor.proto does not use; 6 and 7 do not exist.
        throw new MalformedDescriptorError(`field ${number} has wire type ${wireType}`);
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A string field's text; descriptor.proto's strings are UTF-8. */
export function wireString(field: WireField): string {
  if (field.wireType !== WIRE_LEN) throw new MalformedDescriptorError(`field ${field.number} is not a string`);
  try {
    return utf8.decode(field.bytes);
  } catch (error) {
    throw new MalformedDescriptorError(`field ${field.number} is not UTF-8: ${String(error)}`);
  }
}
