// Per machine, from the coordinator's event log: the deploy sequence's wall time (sequence.started
// to the DEPLOYED transition, both stamped by the coordinator's clock inside their write
// transactions) and its steps' durations (sequence.step details.durationMs). A step's durationMs
// is the time the sequencer spent acting on it (bios-halt-sequencer.ts run(): Date.now() around
// act()); the durable write recording the step (persist()) and the event loop's turns between
// steps come after it and are in no step. So
//   wall = sum(step durations) + persist writes + scheduling gaps
// and the sequencer's own overhead is wall minus the steps spent in something else: BMC calls,
// the agent's new session, the agent's OVS work.

/** Steps whose time is spent outside the sequencer (BMC, agent session, agent OVS work). */
export const EXTERNAL_STEPS = [
  'read-power',
  'set-boot-bios',
  'power-on',
  'wait-agents',
  'ports',
  'set-boot-deploy',
  'restore-off',
  'restore-on',
] as const;

/**
 * The places overhead can lie in a deploy of a machine that is off: before each step, and between
 * the last step and the DEPLOYED transition (written by the finish step, whose own event comes
 * after DEPLOYED and so outside the wall time).
 */
export const GAP_POINTS = [...EXTERNAL_STEPS, 'DEPLOYED'] as const;

/** An event as the bench keeps it (EventMessage with its time parsed). */
export interface BenchEvent {
  readonly seq: number;
  readonly timeMs: number;
  readonly kind: string;
  readonly machineId: string;
  readonly toStatus: string;
  readonly details: Readonly<Record<string, string>>;
  /** Why the event happened (a failed sequence's error). */
  readonly why?: string;
}

export interface MachineTimeline {
  readonly machineId: string;
  readonly sequence: string;
  readonly outcome: 'DEPLOYED' | 'FAILED_DEPLOYMENT';
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly wallMs: number;
  /** durationMs of each step the sequence went through (summed if a step ran twice). */
  readonly stepMs: Readonly<Record<string, number>>;
  /** Sum of the EXTERNAL_STEPS durations. */
  readonly externalMs: number;
  /** wall - externalMs: the persist writes, the gaps between steps and finish's DEPLOYED write. */
  readonly overheadMs: number;
  /**
   * Where the overhead lies: before each step (and before DEPLOYED), the time from the previous
   * stamp (sequence.started, or the previous step's event) to this one, minus this step's own
   * duration. That is the previous write's commit and flush, the event loop's delay in starting
   * the step, and the step's own write up to its stamp. They add up to overheadMs.
   */
  readonly gapBeforeMs: Readonly<Record<string, number>>;
}

const ENDS = new Set(['DEPLOYED', 'FAILED_DEPLOYMENT']);

/** One timeline per machine whose deploy sequence started and ended within `events`. */
export function deployTimelines(events: readonly BenchEvent[]): MachineTimeline[] {
  const started = new Map<string, { sequence: string; atMs: number }>();
  const steps = new Map<string, Record<string, number>>();
  const gaps = new Map<string, { lastMs: number; before: Record<string, number> }>();
  const out: MachineTimeline[] = [];
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.kind === 'sequence.started' && e.details['sequenceKind'] === 'deploy') {
      started.set(e.machineId, { sequence: e.details['sequence'] ?? '', atMs: e.timeMs });
      steps.set(e.machineId, {});
      gaps.set(e.machineId, { lastMs: e.timeMs, before: {} });
    } else if (
      (e.kind === 'sequence.step' || e.kind === 'sequence.step-failed') &&
      started.get(e.machineId)?.sequence === e.details['sequence']
    ) {
      const step = e.details['step'] ?? '?';
      const rec = steps.get(e.machineId)!;
      const durationMs = Number(e.details['durationMs'] ?? NaN);
      rec[step] = (rec[step] ?? 0) + durationMs;
      const g = gaps.get(e.machineId)!;
      g.before[step] = (g.before[step] ?? 0) + (e.timeMs - g.lastMs - durationMs);
      g.lastMs = e.timeMs;
    } else if (e.kind === 'machine.transition' && ENDS.has(e.toStatus) && started.has(e.machineId)) {
      const s = started.get(e.machineId)!;
      const stepMs = steps.get(e.machineId)!;
      const wallMs = e.timeMs - s.atMs;
      const externalMs = EXTERNAL_STEPS.reduce((sum, step) => sum + (stepMs[step] ?? 0), 0);
      const g = gaps.get(e.machineId)!;
      g.before[e.toStatus] = e.timeMs - g.lastMs;
      out.push({
        machineId: e.machineId,
        sequence: s.sequence,
        outcome: e.toStatus as MachineTimeline['outcome'],
        startedAtMs: s.atMs,
        endedAtMs: e.timeMs,
        wallMs,
        stepMs,
        externalMs,
        overheadMs: wallMs - externalMs,
        gapBeforeMs: g.before,
      });
      started.delete(e.machineId);
    }
  }
  return out;
}

/** Nearest-rank percentile (p in 0..100) of `xs`; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}
