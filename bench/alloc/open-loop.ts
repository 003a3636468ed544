// The open-loop allocation phase (--rate R): allocate+release cycles are started on a fixed
// schedule, R a second, whether or not earlier ones have been answered, as independent users
// would. Each allocation's latency is measured from its scheduled start, not from when the load
// generator got round to sending it, so a stall delays every call scheduled behind it and shows in
// the percentiles (no coordinated omission).
// The same schedule can drive bare calls instead (two WhoAmI calls a cycle, authentication only):
// their p99 at the same rate is what the transport, TLS and this 2-core machine's scheduling cost
// on their own, the floor under the allocation p99. `sendLateP99Ms` is how late the load generator
// itself started cycles (a late timer), so a tail it caused is told apart from the coordinator's.
// Each measured open loop follows a warm-up on the same schedule (warmUpOpenLoop, `--warmup S`),
// whose cycles are not counted. The allocation loop comes right after the closed loop, which ran
// at twice its rate, and that loop's backlog otherwise spilled into its first half second (on
// 2026-12-04, 384 and 448 cycles over 20 ms there in two runs, where a p99 of 12,870 leaves 128),
// while the bare loop, which follows the allocation loop at the same rate, started steady. Both
// now start steady.
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';

export interface OpenLoopFigures {
  readonly rate: number;
  readonly scheduled: number;
  readonly allocations: number;
  readonly failures: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** p99 of how late after its scheduled start the load generator sent a cycle's first call. */
  readonly sendLateP99Ms: number;
  /** The most cycles in progress at once. */
  readonly maxInFlight: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** What one cycle does: allocate then release, or two bare calls (WhoAmI). */
export type OpenLoopCycle = 'allocate' | 'bare';

/** The first call of a cycle; its answer ends the timed part. Then the second call. */
async function runCycle(client: CoordinatorClient, kind: OpenLoopCycle, answered: () => void): Promise<void> {
  if (kind === 'bare') {
    await client.call('TenancyService', 'WhoAmI', {});
    answered();
    await client.call('TenancyService', 'WhoAmI', {});
    return;
  }
  const { machine } = await client.call('MachineService', 'AllocateMachine', {});
  answered();
  await client.call('MachineService', 'ReleaseMachine', { machine: machine!.id });
}

/**
 * Starts `rate` cycles a second for `seconds`, spread round-robin over `workers`, then waits for
 * the last to finish. Double allocations are counted afterwards from the event log (allocation-audit.ts).
 */
export async function runOpenLoop(
  workers: readonly CoordinatorClient[],
  rate: number,
  seconds: number,
  kind: OpenLoopCycle = 'allocate',
): Promise<OpenLoopFigures> {
  const total = Math.max(1, Math.round(rate * seconds));
  const intervalMs = 1000 / rate;
  const latencies: number[] = [];
  const late: number[] = [];
  const cycles: Promise<void>[] = [];
  let failures = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const cycle = async (index: number, scheduledAt: number): Promise<void> => {
    const client = workers[index % workers.length]!;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    late.push(performance.now() - scheduledAt);
    try {
      await runCycle(client, kind, () => latencies.push(performance.now() - scheduledAt));
    } catch {
      failures++;
    } finally {
      inFlight--;
    }
  };

  const start = performance.now();
  let started = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      // Start every cycle whose time has come; timers fire late under load, and a late timer
      // starts the overdue cycles at once, each still timed from its own scheduled start.
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      for (; started < due; started++) cycles.push(cycle(started, start + started * intervalMs));
      if (started >= total) return resolve();
      setTimeout(tick, Math.max(0, start + started * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(cycles);
  const sorted = Float64Array.from(latencies).sort();
  const lateSorted = Float64Array.from(late).sort();
  return {
    rate,
    scheduled: total,
    allocations: latencies.length,
    failures,
    p50Ms: Number(percentile(sorted, 50).toFixed(2)),
    p99Ms: Number(percentile(sorted, 99).toFixed(2)),
    sendLateP99Ms: Number(percentile(lateSorted, 99).toFixed(2)),
    maxInFlight,
  };
}

/**
 * Runs `kind` cycles on the schedule of the measured loop for `seconds`, timing none, so that the
 * measured loop starts in the steady state of its rate (0: no warm-up). Returns the cycles
 * answered (allocations the event log must hold).
 */
export async function warmUpOpenLoop(
  workers: readonly CoordinatorClient[],
  rate: number,
  seconds: number,
  kind: OpenLoopCycle = 'allocate',
): Promise<number> {
  return seconds > 0 ? (await runOpenLoop(workers, rate, seconds, kind)).allocations : 0;
}
