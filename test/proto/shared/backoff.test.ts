// The backoff owns the timer of the retry it schedules: its delays, and that a cancelled or
// replaced retry never runs and leaves no timer behind.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Backoff } from '../../../proto/shared/backoff.js';
import { TimerWatch } from './timer-watch.js';

const run = promisify(execFile);

/** The next n delays, as schedule() picks them (each retry replaces the last; none is left pending). */
function delays(b: Backoff, n: number): number[] {
  const out = Array.from({ length: n }, () => b.schedule(() => undefined));
  b.cancel();
  return out;
}

function later(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The timers this file's calls create: not those of code an earlier file in the same fork left running. */
const THIS_FILE = fileURLToPath(import.meta.url);
let watch: TimerWatch | undefined;
afterEach(() => watch?.stop());

describe('Backoff delays', () => {
  it('doubles from the initial delay, is capped, and is jittered within [d/2, d]', () => {
    expect(delays(new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 }), 7)).toEqual([50, 100, 200, 400, 500, 500, 500]);
    expect(delays(new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 }), 7)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(delays(new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.5 }), 5)).toEqual([75, 150, 300, 600, 750]);
  });

  it('never exceeds the cap, even after very many attempts, and starts over on reset', () => {
    const values = [0.3, 0.9, 0.1, 0.7];
    let i = 0;
    const b = new Backoff({ initialMs: 200, maxMs: 5000, random: () => values[i++ % values.length]! });
    const all = delays(b, 200);
    expect(b.attempts).toBe(200);
    expect(Math.max(...all)).toBeLessThanOrEqual(5000);
    expect(all.slice(10).every((d) => d >= 2500 && d <= 5000)).toBe(true);
    expect(new Set(all.slice(10)).size).toBeGreaterThan(1); // jittered, not a constant
    expect(all.every(Number.isFinite)).toBe(true);
    b.reset();
    expect(b.attempts).toBe(0);
    i = 0;
    expect(delays(b, 1)).toEqual([130]);
  });
});

describe('Backoff timer', () => {
  it('runs a scheduled retry once, after its delay', async () => {
    const b = new Backoff({ initialMs: 10, maxMs: 20 });
    let runs = 0;
    const ran = new Promise<void>((resolve) => b.schedule(() => (runs++, resolve())));
    expect(b.pending).toBe(true);
    expect(runs).toBe(0);
    await ran;
    expect(runs).toBe(1);
    expect(b.pending).toBe(false);
    await later(50);
    expect(runs).toBe(1);
  });

  // The retries below wait far longer than pending() takes (random 0: half of initialMs, doubling):
  // a loaded CI run fired a 5-10 ms retry, and once a 100 ms one, before pending() had counted it
  // (two turns of the event loop, which a busy test fork can stretch).
  it('cancel() stops a scheduled retry and leaves no timer', async () => {
    watch = new TimerWatch(THIS_FILE);
    const b = new Backoff({ initialMs: 20_000, maxMs: 40_000, random: () => 0 });
    let runs = 0;
    b.schedule(() => runs++);
    expect(await watch.pending()).toBe(1);
    b.cancel();
    expect(b.pending).toBe(false);
    expect(await watch.pending()).toBe(0);
    await later(150);
    expect(runs).toBe(0);
  });

  it('a new schedule() replaces the pending retry: one timer, only the last function runs', async () => {
    watch = new TimerWatch(THIS_FILE);
    const b = new Backoff({ initialMs: 1_000, maxMs: 2_000, random: () => 0 });
    const ran: string[] = [];
    b.schedule(() => ran.push('first'));
    const second = new Promise<void>((resolve) => b.schedule(() => (ran.push('second'), resolve())));
    expect(await watch.pending()).toBe(1);
    await second;
    await later(40);
    expect(ran).toEqual(['second']);
    expect(b.attempts).toBe(2);
  });

  it("schedules with an unref'd timer: a process with only a pending retry exits", async () => {
    watch = new TimerWatch(THIS_FILE);
    const b = new Backoff({ initialMs: 60_000, maxMs: 60_000 });
    // Counted in one synchronous stretch, so no other code's timer comes or goes in between.
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    b.schedule(() => undefined);
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    // Pending (async_hooks sees it) yet not holding the event loop open.
    expect(await watch.pending()).toBe(1);
    expect(after).toBe(before);
    b.cancel();
    // The same in a process of its own: it ends without waiting out the minute.
    const script = `
      const { Backoff } = await import(${JSON.stringify(new URL('../../../dist/proto/shared/backoff.js', import.meta.url).href)});
      const b = new Backoff({ initialMs: 60000, maxMs: 60000 });
      b.schedule(() => console.log('retried'));
      console.log('scheduled', b.pending);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
    expect(stdout.trim()).toBe('scheduled true');
  });
});

describe('Backoff.wait', () => {
  it('resolves true once the delay has passed', async () => {
    const b = new Backoff({ initialMs: 10, maxMs: 20, random: () => 0 });
    const retry = b.wait();
    expect(retry.delayMs).toBe(5);
    expect(await retry.elapsed).toBe(true);
    expect(b.pending).toBe(false);
  });

  it('resolves false, with no timer left, when the signal fires or the backoff is cancelled', async () => {
    watch = new TimerWatch(THIS_FILE);
    const b = new Backoff({ initialMs: 60_000, maxMs: 60_000 });
    const controller = new AbortController();
    const aborted = b.wait(controller.signal);
    controller.abort();
    expect(await aborted.elapsed).toBe(false);
    expect(b.pending).toBe(false);
    const cancelled = b.wait();
    b.cancel();
    expect(await cancelled.elapsed).toBe(false);
    expect(await b.wait(AbortSignal.abort()).elapsed).toBe(false);
    expect(await watch.pending()).toBe(0);
  });
});
