// Fault injection for the crash tests: MOORING_SEQUENCER_CRASH="<when>:<step>" makes the process
// die with SIGKILL (as kill -9 would) right "before" a step acts (it is stored, nothing done yet)
// or right "after" it acted (nothing stored yet). Read once; unset in production.
import type { Step } from './sequence.js';

export type CrashPoint = { when: 'before' | 'after'; step: Step } | null;

export function crashPointFromEnv(env: NodeJS.ProcessEnv = process.env): CrashPoint {
  const spec = env['MOORING_SEQUENCER_CRASH'];
  const m = spec ? /^(before|after):([a-z-]+)$/.exec(spec) : null;
  return m ? { when: m[1] as 'before' | 'after', step: m[2] as Step } : null;
}

export function maybeCrash(point: CrashPoint, when: 'before' | 'after', step: Step): void {
  if (point && point.when === when && point.step === step) process.kill(process.pid, 'SIGKILL');
}
