// The allocation path without gRPC: a coordinator in this process, C concurrent callers calling
// Allocator.allocate and MachineRegistry.release directly, each an LMDB write transaction with a
// durable commit. Shows how much of the gRPC figure is the store and how much the transport.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CONSTRAINTS } from '../../coordinator/src/allocation/constraints.js';
import { loadConfig } from '../../coordinator/src/config.js';
import { Coordinator } from '../../coordinator/src/coordinator.js';
import { createLogger } from '../../coordinator/src/logger.js';
import type { Principal } from '../../coordinator/src/tenancy/user.js';

export interface StoreCapacity {
  readonly allocPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly doubleAllocations: number;
}

export async function measureStoreCapacity(machines: number, clients: number, seconds: number): Promise<StoreCapacity> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mooring-bench-store-'));
  const config = loadConfig({
    flags: { dataDir, listen: '127.0.0.1:0', metricsListen: 'off', consoleListen: 'off', logLevel: 'silent' },
    env: {},
  });
  const coordinator = await Coordinator.create(config, { logger: createLogger('silent') });
  const admin: Principal = { user: 'admin', role: 'admin', groups: [] };
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: 256 }, async () => {
        for (let i = next++; i < machines; i = next++) {
          const machine = await coordinator.machines.enlist(admin, {
            hostname: `store-${i}`,
            arch: 'amd64',
            cores: 4 * (1 + (i % 16)),
            memoryMib: 8192 * (1 + (i % 8)),
            tags: [],
            pool: 'default',
            zone: 'default',
            power: {
              driver: 'manual',
              address: '',
              user: '',
              password: null,
              passwordFile: null,
              bootMode: 'uefi',
              ipmiCipherSuite: null,
              redfishTls: null,
            },
            ports: [],
          });
          await coordinator.commissioner.commission(admin, machine.id);
        }
      }),
    );
    const held = new Set<string>();
    let doubleAllocations = 0;
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < deadline) {
          const t = performance.now();
          const machine = await coordinator.allocator.allocate(admin, NO_CONSTRAINTS, {
            dryRun: false,
            annotations: {},
            reason: '',
            cancelled: () => false,
          });
          latencies.push(performance.now() - t);
          if (held.has(machine.id)) doubleAllocations++;
          held.add(machine.id);
          // In one process a release resolves before any later batch's allocation: no window.
          await coordinator.machines.release(admin, machine.id, '');
          held.delete(machine.id);
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const sorted = Float64Array.from(latencies).sort();
    const at = (p: number): number => Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(2));
    return { allocPerSec: Math.round(latencies.length / elapsed), p50Ms: at(0.5), p99Ms: at(0.99), doubleAllocations };
  } finally {
    await coordinator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
