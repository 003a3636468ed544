// The Range header as the boot service reads it (boot/byte-range.ts, RFC 9110 §14.1.2), pure.
import { describe, expect, it } from 'vitest';
import { rangeOf } from '../../coordinator/src/boot/byte-range.js';

describe('rangeOf', () => {
  it('reads one range: first-last, first-, -suffix; clamps the end to the size', () => {
    expect(rangeOf('bytes=0-99', 1000)).toEqual({ type: 'partial', start: 0, end: 99 });
    expect(rangeOf('bytes=500-', 1000)).toEqual({ type: 'partial', start: 500, end: 999 });
    expect(rangeOf('bytes=-10', 1000)).toEqual({ type: 'partial', start: 990, end: 999 });
    expect(rangeOf('bytes=-5000', 1000)).toEqual({ type: 'partial', start: 0, end: 999 });
    expect(rangeOf('bytes=990-2000', 1000)).toEqual({ type: 'partial', start: 990, end: 999 });
    expect(rangeOf('Bytes = 1-1', 1000)).toEqual({ type: 'partial', start: 1, end: 1 });
  });

  it('answers unsatisfiable past the end, and for an empty suffix', () => {
    expect(rangeOf('bytes=1000-', 1000)).toEqual({ type: 'unsatisfiable' });
    expect(rangeOf('bytes=1000-1001', 1000)).toEqual({ type: 'unsatisfiable' });
    expect(rangeOf('bytes=-0', 1000)).toEqual({ type: 'unsatisfiable' });
    expect(rangeOf('bytes=0-', 0)).toEqual({ type: 'unsatisfiable' });
  });

  it('ignores what it does not serve: no header, other units, several ranges, malformed or inverted specs', () => {
    for (const header of [undefined, 'items=0-1', 'bytes=0-1,5-6', 'bytes=a-b', 'bytes=-', 'bytes=9-3', 'garbage'])
      expect(rangeOf(header, 1000), String(header)).toEqual({ type: 'whole' });
  });
});
