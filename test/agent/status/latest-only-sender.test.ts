// Drop-to-latest backpressure, driven by hand: writes complete only when the test says so.
import { describe, expect, it } from 'vitest';
import { LatestOnlySender } from '../../../agent/src/status/latest-only-sender.js';

function harness(): { sender: LatestOnlySender; written: string[]; complete: (err?: Error) => void; errors: Error[] } {
  const written: string[] = [];
  const waiting: ((err?: Error) => void)[] = [];
  const errors: Error[] = [];
  const sender = new LatestOnlySender(
    (data, done) => {
      written.push(data);
      waiting.push(done);
    },
    (e) => errors.push(e),
  );
  return { sender, written, errors, complete: (err) => waiting.shift()!(err) };
}

describe('LatestOnlySender', () => {
  it('sends at once when idle', () => {
    const h = harness();
    h.sender.push('a');
    expect(h.written).toEqual(['a']);
    h.complete();
    expect(h.sender.idle).toBe(true);
    expect(h.sender.sent).toBe(1);
  });

  it('keeps only the newest message while one is in flight', () => {
    const h = harness();
    h.sender.push('a');
    h.sender.push('b');
    h.sender.push('c');
    h.sender.push('d');
    expect(h.written).toEqual(['a']);
    h.complete();
    expect(h.written).toEqual(['a', 'd']);
    h.complete();
    expect(h.sender.dropped).toBe(2);
    expect(h.sender.idle).toBe(true);
  });

  it('stops on a write error and reports it', () => {
    const h = harness();
    h.sender.push('a');
    h.sender.push('b');
    h.complete(new Error('EPIPE'));
    expect(h.errors.map((e) => e.message)).toEqual(['EPIPE']);
    h.sender.push('c');
    expect(h.written).toEqual(['a']);
  });

  it('sends nothing more after close', () => {
    const h = harness();
    h.sender.push('a');
    h.sender.push('b');
    h.sender.close();
    h.complete();
    h.sender.push('c');
    expect(h.written).toEqual(['a']);
  });
});
