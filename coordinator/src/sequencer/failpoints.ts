// Fault injection for the crash tests: MOORING_SEQUENCER_CRASH="<when>:<step>" makes the process
// die with SIGKILL (as kill -9 would) right "before" a step acts (it is stored, nothing done yet)
// or right "after" it acted (nothing stored yet). Read once; unset in production.
// MOORING_SEQUENCER_CRASH_FILE=<path> names a file holding the same spec, read at each step, so a
// test can arm a running coordinator (several coordinators: whichever runs the sequence next).
import { readFileSync } from 'node:fs';
import type { Step } from './sequence.js';

export type CrashPoint = { when: 'before' | 'after'; step: Step } | { file: string } | null;

export function crashPointFromEnv(env: NodeJS.ProcessEnv = process.env): CrashPoint {
  const file = env['MOORING_SEQUENCER_CRASH_FILE'];
  if (file) return { file };
  return parse(env['MOORING_SEQUENCER_CRASH']);
}

export function maybeCrash(point: CrashPoint, when: 'before' | 'after', step: Step): void {
  const armed = point && 'file' in point ? parse(readSpec(point.file)) : point;
  if (armed && 'when' in armed && armed.when === when && armed.step === step) process.kill(process.pid, 'SIGKILL');
}

function parse(spec: string | undefined): CrashPoint {
  const m = spec ? /^(before|after):([a-z-]+)$/.exec(spec.trim()) : null;
  return m ? { when: m[1] as 'before' | 'after', step: m[2] as Step } : null;
}

function readSpec(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // no file: not armed
  }
}
