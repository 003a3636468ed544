// bench:sequence's floor (bench/sequence/floor-*.ts): the script it derives from a deploy's event
// log, and a replay of it against the real floor server (gRPC with TLS and client certificates,
// durable LMDB, a pipe child), which must carry out every op the script holds.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayFloor } from '../../bench/sequence/floor-client.js';
import { eventsOf, floorScript, writesOf, type FloorScript } from '../../bench/sequence/floor-script.js';
import type { BenchEvent } from '../../bench/sequence/timeline.js';

const STEPS = ['read-power', 'set-boot-bios', 'power-on', 'wait-agents', 'ports', 'set-boot-deploy', 'restore-off', 'restore-on'];

/** A deploy's events as the coordinator logs them: started at t0, a step every `stepMs`, DEPLOYED and the finish step. */
function deployEvents(machineId: string, t0: number, stepMs: number, firstSeq: number): BenchEvent[] {
  let seq = firstSeq;
  const ev = (timeMs: number, kind: string, details: Record<string, string> = {}, toStatus = ''): BenchEvent => ({
    seq: seq++,
    timeMs,
    kind,
    machineId,
    toStatus,
    details,
  });
  const sequence = { sequence: `s-${machineId}`, sequenceKind: 'deploy' };
  const out = [ev(t0, 'machine.transition', {}, 'DEPLOYING'), ev(t0, 'sequence.started', sequence)];
  STEPS.forEach((step, i) => {
    out.push(ev(t0 + (i + 1) * stepMs, 'sequence.step', { ...sequence, step, durationMs: String(stepMs - 5) }));
  });
  const end = t0 + (STEPS.length + 1) * stepMs;
  out.push(ev(end, 'machine.transition', {}, 'DEPLOYED'), ev(end, 'sequence.step', { ...sequence, step: 'finish', durationMs: '1' }));
  return out;
}

const total = (script: FloorScript, f: (op: FloorScript['machines'][number]['ops'][number]) => number): number =>
  script.machines.reduce((sum, m) => sum + m.ops.reduce((n, op) => n + f(op), 0), 0);

describe('the floor script', () => {
  const start = 1_000_000;
  const events = [
    ...deployEvents('m1', start + 10, 100, 1),
    ...deployEvents('m2', start + 20, 120, 100),
    // A machine whose deploy did not end in the log has no script.
    ...deployEvents('m3', start + 30, 100, 200).slice(0, 5),
  ];

  it('has one script per deploy that ended, each op at its offset from the start', () => {
    const script = floorScript(events, start, { writesPerDeploy: 20, reportsPerSession: 3 });
    expect(script.machines).toHaveLength(2);
    const [m1] = script.machines;
    expect(m1!.ops[0]).toEqual({ at: 10, kind: 'deploy', events: 2 });
    expect(m1!.ops.filter((op) => op.kind === 'bmc')).toHaveLength(6);
    // read-power began at its stamp minus its duration.
    expect(m1!.ops.find((op) => op.kind === 'bmc')!.at).toBe(10 + 100 - 95);
    expect(m1!.ops.filter((op) => op.kind === 'open')).toEqual([{ at: 10 + 400 - 95, kind: 'open', reports: 3 }]);
    expect(m1!.ops.filter((op) => op.kind === 'command')).toEqual([{ at: 10 + 500 - 95, kind: 'command' }]);
    expect(m1!.ops.filter((op) => op.kind === 'close')).toEqual([{ at: 10 + 700, kind: 'close' }]);
    expect(script.spanMs).toBe(20 + 9 * 120);
    for (const m of script.machines) expect(m.ops.map((op) => op.at)).toEqual([...m.ops.map((op) => op.at)].sort((a, b) => a - b));
  });

  it('makes as many writes as the coordinator counted and emits as many events as it logged', () => {
    for (const writesPerDeploy of [12, 20, 30]) {
      const script = floorScript(events, start, { writesPerDeploy, reportsPerSession: 3 });
      for (const m of script.machines) {
        expect(m.ops.reduce((n, op) => n + writesOf(op), 0)).toBe(writesPerDeploy);
        expect(m.ops.reduce((n, op) => n + eventsOf(op), 0)).toBe(12);
      }
    }
  });
});

describe('a floor replay', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mooring-floor-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Each replay's figures are its own (--rounds reports the last): counted afresh, not summed.
  it.each([1, 2])(
    'carries out every op of the script in each of %i replays: calls, sessions, BMC lines, writes, events',
    async (rounds) => {
      const start = Date.now();
      const events = [0, 1, 2].flatMap((i) => deployEvents(`m${i}`, start + i * 15, 40, i * 100 + 1));
      const script = floorScript(events, start, { writesPerDeploy: 20, reportsPerSession: 2 });
      const sub = path.join(dir, `rounds-${rounds}`);
      await mkdir(sub);
      const run = await replayFloor(script, sub, rounds);
      expect(run.deploysAnswered).toBe(3);
      expect(run.server.sessions).toBe(3);
      expect(run.server.commands).toBe(3);
      expect(run.resultsSent).toBe(3);
      expect(run.server.bmcCommands).toBe(18);
      expect(run.server.writes).toBe(total(script, writesOf));
      expect(run.server.writes).toBe(60);
      expect(run.server.events).toBe(total(script, eventsOf));
      expect(run.eventsReceived).toBe(run.server.events);
      expect(run.server.cpuSeconds).toBeGreaterThan(0);
      expect(run.windowSeconds).toBeLessThan((script.spanMs + 1000) / 1000 + 5);
    },
    60_000,
  );
});
