// LxdEventStream's lifecycle without an LXD: a unix socket nobody listens on makes every
// subscription fail at once, so the stream goes connecting -> down -> connecting ... on its backoff.
// Guarded: it starts once, and once closed it stays closed with no resubscription timer left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LxdEventStream, type StreamState } from '../../../agent/src/lxd/event-stream.js';
import { IllegalTransitionError } from '../../../proto/shared/state-machine.js';
import { TimerWatch } from '../../proto/shared/timer-watch.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
const dir = mkdtempSync(path.join(tmpdir(), 'mooring-lxd-events-'));
const BACKOFF = { initialMs: 20, maxMs: 80 };
let watch: TimerWatch | undefined;

afterEach(() => {
  watch?.stop();
  watch = undefined;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stream(): {
  events: LxdEventStream;
  states: StreamState[];
  next: (type: StreamState['type'], from: number) => Promise<StreamState>;
} {
  const events = new LxdEventStream({ kind: 'unix', socketPath: path.join(dir, 'unix.socket') }, 'p1', log, BACKOFF);
  const states: StreamState[] = [];
  events.on('state', (s) => states.push(s));
  const next = (type: StreamState['type'], from: number): Promise<StreamState> =>
    new Promise((resolve) => {
      const seen = states.slice(from).find((s) => s.type === type);
      if (seen) return resolve(seen);
      const on = (s: StreamState): void => {
        if (s.type !== type) return;
        events.off('state', on);
        resolve(s);
      };
      events.on('state', on);
    });
  return { events, states, next };
}

function later(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('LxdEventStream lifecycle', () => {
  it('resubscribes after each failure, with the reason and the backoff delay', async () => {
    const s = stream();
    s.events.start();
    await s.next('down', 0);
    await s.next('down', s.states.findIndex((x) => x.type === 'down') + 1);
    s.events.close();
    const downs = s.states.filter((x) => x.type === 'down');
    expect(downs.length).toBeGreaterThanOrEqual(2);
    for (const d of downs) {
      expect(d.reason).toMatch(/ENOENT/);
      expect(d.retryInMs).toBeGreaterThan(0);
      expect(d.retryInMs).toBeLessThanOrEqual(BACKOFF.maxMs);
    }
    // connecting and down alternate from the start; closed ends it.
    const types = s.states.map((x) => x.type);
    expect(types.at(-1)).toBe('closed');
    expect(types.slice(0, -1).every((t, i) => t === (i % 2 === 0 ? 'connecting' : 'down'))).toBe(true);
  });

  it('starts once: a second start() throws, naming the state it is in', () => {
    const s = stream();
    s.events.start();
    expect(() => s.events.start()).toThrow(IllegalTransitionError);
    expect(() => s.events.start()).toThrow(/LXD event stream \(p1\): no transition from (connecting|down) to connecting/);
    s.events.close();
    expect(() => s.events.start()).toThrow(/no transition from closed to connecting/);
  });

  it('closed while down, it leaves no timer, announces closed once and nothing after', async () => {
    watch = new TimerWatch();
    const s = stream();
    s.events.start();
    await s.next('down', 0);
    s.events.close();
    s.events.close();
    expect(await watch.pending()).toBe(0);
    const seen = s.states.length;
    await later(4 * BACKOFF.maxMs);
    expect(s.states.length).toBe(seen);
    expect(s.states.filter((x) => x.type === 'closed')).toHaveLength(1);
  });
});
