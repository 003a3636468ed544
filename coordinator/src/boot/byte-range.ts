// The Range request header (RFC 9110 §14.1.2, bytes only): what part of a representation of
// `size` bytes a GET asks for. One range is served as 206; several are answered with the whole
// body (§14.2: a server MAY ignore Range), as a multipart body buys a ramdisk nothing.

export type RangeAnswer =
  /** No Range header, or one this server ignores: 200 with every byte. */
  | { type: 'whole' }
  /** 206 with bytes start..end, inclusive. */
  | { type: 'partial'; start: number; end: number }
  /** 416, with Content-Range: bytes * /size. */
  | { type: 'unsatisfiable' };

const SPEC = /^(\d*)-(\d*)$/;

export function rangeOf(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { type: 'whole' };
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  // Another unit, or a malformed header: §14.2 says to ignore it.
  if (!match) return { type: 'whole' };
  const specs = match[1]!.split(',').map((s) => s.trim());
  if (specs.length !== 1) return { type: 'whole' };
  const spec = SPEC.exec(specs[0]!);
  if (!spec) return { type: 'whole' };
  const [, first, last] = spec as unknown as [string, string, string];
  if (first === '' && last === '') return { type: 'whole' };
  if (first === '') {
    // A suffix: the last N bytes (all of them when N >= size); "-0" is unsatisfiable.
    const n = Number(last);
    if (n === 0 || size === 0) return { type: 'unsatisfiable' };
    return { type: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { type: 'whole' }; // an invalid range-spec: ignored (§14.1.1)
  const end = last === '' ? size - 1 : Number(last);
  if (start >= size) return { type: 'unsatisfiable' };
  return { type: 'partial', start, end: Math.min(end, size - 1) };
}
