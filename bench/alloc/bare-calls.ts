// The bare-call contender: the same clients, connections, TLS and bearer tokens as the allocation
// loop, calling WhoAmI, which does nothing but authenticate and answer the caller's user. What a
// gRPC call costs here before Mooring does any work of its own: the yardstick for cycleCostRatio.
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { processCpuMs } from './process-cpu.js';

export interface BareCallFigures {
  readonly calls: number;
  readonly callsPerSec: number;
  readonly failures: number;
  /** The coordinator's CPU time per call, in ms. */
  readonly coordinatorCpuMsPerCall: number;
  /** This process's (the load generator's) CPU time per call, in ms. */
  readonly clientsCpuMsPerCall: number;
  /** What the figures above are computed from. */
  readonly seconds: number;
  readonly coordinatorCpuMs: number;
  readonly clientsCpuMs: number;
}

/** Every client calls WhoAmI in a closed loop (the next call when the last one answered) for `seconds`. */
export async function measureBareCalls(
  workers: readonly CoordinatorClient[],
  coordinatorPid: number,
  seconds: number,
): Promise<BareCallFigures> {
  let calls = 0;
  let failures = 0;
  const cpuStart = processCpuMs(coordinatorPid);
  const clientsStart = process.cpuUsage();
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    workers.map(async (client) => {
      while (performance.now() < deadline) {
        try {
          await client.call('TenancyService', 'WhoAmI', {});
          calls++;
        } catch {
          failures++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const cpu = processCpuMs(coordinatorPid) - cpuStart;
  const clients = process.cpuUsage(clientsStart);
  return figures(calls, failures, elapsed, cpu, (clients.user + clients.system) / 1000);
}

/**
 * The bare calls of two windows as one: the allocation loop runs between them, so a yardstick
 * taken on both sides of it is not tilted by the order (the first window, right after the fleet is
 * enlisted, ran 2-4% slower than one taken after the allocation loop in three runs of 2026-12-04).
 */
export function bracketing(before: BareCallFigures, after: BareCallFigures): BareCallFigures {
  return figures(
    before.calls + after.calls,
    before.failures + after.failures,
    before.seconds + after.seconds,
    before.coordinatorCpuMs + after.coordinatorCpuMs,
    before.clientsCpuMs + after.clientsCpuMs,
  );
}

function figures(calls: number, failures: number, seconds: number, coordinatorCpuMs: number, clientsCpuMs: number): BareCallFigures {
  return {
    calls,
    callsPerSec: Math.round(calls / seconds),
    failures,
    coordinatorCpuMsPerCall: Number((coordinatorCpuMs / Math.max(1, calls)).toFixed(4)),
    clientsCpuMsPerCall: Number((clientsCpuMs / Math.max(1, calls)).toFixed(4)),
    seconds,
    coordinatorCpuMs,
    clientsCpuMs,
  };
}
