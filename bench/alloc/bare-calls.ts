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
  return {
    calls,
    callsPerSec: Math.round(calls / elapsed),
    failures,
    coordinatorCpuMsPerCall: Number((cpu / Math.max(1, calls)).toFixed(4)),
    clientsCpuMsPerCall: Number(((clients.user + clients.system) / 1000 / Math.max(1, calls)).toFixed(4)),
  };
}
