// bench:alloc and bench:fleet read the coordinator's GC pauses from its --trace-gc output
// (bench/fleet/gc-trace.ts); bench:alloc adds --trace-gc-nvp for the phases of a full collection.
// Both formats are read here from a real node process that forces collections.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { GcTrace } from '../../bench/fleet/gc-trace.js';

/** Keeps 200k small objects alive, then forces two full collections (and scavenges on the way). */
const COLLECT = `
const kept = [];
for (let i = 0; i < 200000; i++) kept.push({ i, s: 'x' + i });
gc(); gc();
console.log(kept.length);
`;

async function traced(flags: readonly string[]): Promise<ReturnType<GcTrace['between']>> {
  const from = Date.now();
  const child = spawn(process.execPath, ['--expose-gc', ...flags, '-e', COLLECT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const trace = new GcTrace(child.stdout);
  const [code] = (await once(child, 'close')) as [number | null];
  expect(code).toBe(0);
  return trace.between(from, Date.now());
}

describe('GC pauses from a coordinator trace', () => {
  it('reads --trace-gc lines: pauses, full collections, max and total', async () => {
    const summary = await traced(['--trace-gc']);
    expect(summary.fullCollections).toBeGreaterThanOrEqual(2);
    expect(summary.pauses).toBeGreaterThanOrEqual(summary.fullCollections);
    expect(summary.maxPauseMs).toBeGreaterThan(0);
    expect(summary.totalPauseMs).toBeGreaterThanOrEqual(summary.maxPauseMs);
    expect(summary.longestFullPhases).toBeUndefined();
  });

  it('reads --trace-gc-nvp lines the same way, with the longest full collection by phase', async () => {
    const summary = await traced(['--trace-gc', '--trace-gc-nvp']);
    expect(summary.fullCollections).toBeGreaterThanOrEqual(2);
    expect(summary.maxPauseMs).toBeGreaterThan(0);
    const phases = summary.longestFullPhases!;
    expect(phases['pause']).toBeGreaterThan(0);
    expect(phases['pause']).toBeLessThanOrEqual(summary.maxPauseMs);
    // At most five phases besides the pause, the longest first, each a phase of the pause (mark, mark.roots, ...).
    const named = Object.entries(phases).filter(([name]) => name !== 'pause');
    expect(named.length).toBeGreaterThan(0);
    expect(named.length).toBeLessThanOrEqual(5);
    for (const [name, ms] of named) {
      expect(name).toMatch(/^(clear|evacuate|mark|sweep|finish|epilogue|prologue)(\.|$)/);
      expect(ms).toBeGreaterThan(0);
    }
    expect(named.map(([, ms]) => ms)).toEqual(named.map(([, ms]) => ms).sort((a, b) => b - a));
  });
});
