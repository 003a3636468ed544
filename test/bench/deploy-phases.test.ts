// bench:deploy's split of an image deploy's time (bench/deploy/deploy-phases.ts), from an event log
// shaped as the coordinator writes it.
import { describe, expect, it } from 'vitest';
import { deployPhases } from '../../bench/deploy/deploy-phases.js';
import type { BenchEvent } from '../../bench/sequence/timeline.js';

const M = 'machine-1';
let seq = 0;
const ev = (timeMs: number, kind: string, details: Record<string, string> = {}, toStatus = ''): BenchEvent => ({
  seq: ++seq,
  timeMs,
  kind,
  machineId: M,
  toStatus,
  details,
});
const step = (timeMs: number, name: string, durationMs: number): BenchEvent =>
  ev(timeMs, 'sequence.step', { sequence: 's1', sequenceKind: 'deploy', step: name, durationMs: String(durationMs) });
const progress = (timeMs: number, ramdiskStep: string): BenchEvent => ev(timeMs, 'boot.progress', { ramdiskStep });

describe('deployPhases', () => {
  it('splits firmware, transfer, verify, write, first boot and the gaps between steps', () => {
    const events = [
      ev(1000, 'sequence.started', { sequence: 's1', sequenceKind: 'deploy' }),
      step(1100, 'read-power', 90), // gap 10
      step(1300, 'restore-on', 195), // gap 5
      progress(31_300, 'network'),
      progress(32_000, 'disk'),
      progress(42_000, 'download'),
      progress(42_600, 'verify'),
      ev(43_000, 'boot.succeeded', { mode: 'deploy' }),
      step(43_010, 'wait-image', 41_700), // gap 10
      step(103_010, 'wait-first-boot', 59_990), // gap 10
      ev(103_040, 'machine.transition', {}, 'DEPLOYED'), // gap 30
    ];
    expect(deployPhases(events)).toEqual([
      {
        machineId: M,
        wallMs: 102_040,
        firmwareMs: 30_000,
        transferMs: 10_000,
        verifyMs: 600,
        writeMs: 1000,
        firstBootMs: 59_990,
        overheadMs: 65,
      },
    ]);
  });

  it('names the event a deploy lacks, and leaves out deploys that failed', () => {
    const started = ev(0, 'sequence.started', { sequence: 's1', sequenceKind: 'deploy' });
    expect(() => deployPhases([started, step(10, 'restore-on', 5), ev(20, 'machine.transition', {}, 'DEPLOYED')])).toThrow(
      /machine-1: no ramdisk progress event/,
    );
    expect(deployPhases([started, ev(20, 'machine.transition', {}, 'FAILED_DEPLOYMENT')])).toEqual([]);
  });
});
