// Members' machine lists at fleet size (issue 16): a coordinator in this process, its LMDB store
// filled directly (not through the API: enlisting 100k machines over gRPC would be most of the
// run) with M machines, U members and G groups, then one page of 100 of MachineRegistry.list for
// random members, timed per call. The contender in the same run is the rule applied by scanning
// every machine in id order (what ListMachines did before the member index), on fewer samples.
//
// The fleet is a busy one, where a member's share is small: 80% of machines owned by members
// (ALLOCATED or DEPLOYED), 10% reserved for a group and 5% for a user (READY), 5% free and
// unreserved (READY, NEW or BROKEN), in 10 pools. Members are in 1 to 3 groups. Queries mix what
// members ask: everything they see, their own machines (--owner me), and one status (READY).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../coordinator/src/config.js';
import { Coordinator } from '../../coordinator/src/coordinator.js';
import { createLogger } from '../../coordinator/src/logger.js';
import type { Holder, Machine, MachineStatus } from '../../coordinator/src/machines/machine.js';
import type { MachineFilter } from '../../coordinator/src/machines/machine-registry.js';
import { canSeeMachine } from '../../coordinator/src/tenancy/access.js';
import type { Principal } from '../../coordinator/src/tenancy/user.js';
import { machineRecord } from '../../test/harness/machine-record.js';

export interface MemberListOptions {
  readonly machines: number;
  readonly members: number;
  readonly groups: number;
  /** Timed pages through the member index. */
  readonly samples: number;
  /** Timed pages of the scanning contender. */
  readonly scanSamples: number;
}

export interface MemberListResult {
  readonly machines: number;
  readonly members: number;
  readonly groups: number;
  readonly fillSeconds: number;
  /** One page of 100 through the member index. */
  readonly memberListP50Ms: number;
  readonly memberListP99Ms: number;
  /**
   * The same pages' CPU time on this thread (getrusage): what the page costs without the time
   * the scheduler gave other processes, which dominates wall-time tails on a loaded machine.
   */
  readonly memberListCpuP50Ms: number;
  readonly memberListCpuP99Ms: number;
  /** The same queries answered by scanning every machine (the rule without the index). */
  readonly memberListScanP50Ms: number;
  readonly memberListScanP99Ms: number;
}

export const MEMBER_LIST_DEFAULTS: MemberListOptions = { machines: 100_000, members: 1000, groups: 100, samples: 3000, scanSamples: 100 };

const PAGE = 100;
const FILL_BATCH = 10_000;
const POOLS = 10;

/** Deterministic (mulberry32): every run lists the same fleet. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const memberName = (i: number): string => `member-${String(i).padStart(4, '0')}`;
const groupName = (i: number): string => `group-${String(i).padStart(3, '0')}`;

function fleetMachine(i: number, rnd: () => number, options: MemberListOptions): Machine {
  const share = rnd();
  let owner: string | null = null;
  let reservedFor: Holder | null = null;
  let status: MachineStatus = 'READY';
  if (share < 0.8) {
    owner = memberName(Math.floor(rnd() * options.members));
    status = rnd() < 0.5 ? 'ALLOCATED' : 'DEPLOYED';
  } else if (share < 0.9) {
    reservedFor = { kind: 'group', name: groupName(Math.floor(rnd() * options.groups)) };
  } else if (share < 0.95) {
    reservedFor = { kind: 'user', name: memberName(Math.floor(rnd() * options.members)) };
  } else {
    status = rnd() < 0.8 ? 'READY' : rnd() < 0.5 ? 'NEW' : 'BROKEN';
  }
  // Ids as enlist makes them (m- and 12 hex digits), spread over the id space.
  const id = `m-${Math.floor(rnd() * 2 ** 40)
    .toString(16)
    .padStart(10, '0')}${(i & 0xff).toString(16).padStart(2, '0')}`;
  return machineRecord(id, {
    hostname: `fleet-${i}`,
    cores: 16,
    memoryMib: 65536,
    pool: `pool-${i % POOLS}`,
    status,
    owner,
    reservedFor,
    powerState: status === 'DEPLOYED' ? 'on' : 'off',
    commissioned: status !== 'NEW',
  });
}

function member(i: number, rnd: () => number, groups: number): Principal {
  const count = 1 + Math.floor(rnd() * 3);
  const of = new Set(Array.from({ length: count }, () => groupName(Math.floor(rnd() * groups))));
  return { user: memberName(i), role: 'member', groups: [...of].sort() };
}

function query(rnd: () => number, principal: Principal): MachineFilter {
  const kind = rnd();
  if (kind < 0.4) return { status: null, pool: null, owner: null };
  if (kind < 0.8) return { status: null, pool: null, owner: principal.user };
  return { status: 'READY', pool: null, owner: null };
}

function percentile(samples: number[], p: number): number {
  const sorted = Float64Array.from(samples).sort();
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(3));
}

export async function measureMemberList(options: MemberListOptions = MEMBER_LIST_DEFAULTS): Promise<MemberListResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mooring-bench-members-'));
  const config = loadConfig({ flags: { dataDir, listen: '127.0.0.1:0', metricsListen: 'off', logLevel: 'silent' }, env: {} });
  const coordinator = await Coordinator.create(config, { logger: createLogger('silent') });
  try {
    const rnd = generator(16);
    const table = coordinator.machines.table();
    const fillStart = performance.now();
    for (let from = 0; from < options.machines; from += FILL_BATCH) {
      await coordinator.store.write(() => {
        for (let i = from; i < Math.min(options.machines, from + FILL_BATCH); i++) {
          const machine = fleetMachine(i, rnd, options);
          if (!table.get(machine.id)) table.save(null, machine);
        }
      });
    }
    const fillSeconds = Number(((performance.now() - fillStart) / 1000).toFixed(1));
    const members = Array.from({ length: options.members }, (_, i) => member(i, rnd, options.groups));
    const pick = (): Principal => members[Math.floor(rnd() * members.length)]!;

    const indexed: number[] = [];
    const indexedCpu: number[] = [];
    for (let s = 0; s < options.samples; s++) {
      const principal = pick();
      const filter = query(rnd, principal);
      const cpu = process.cpuUsage();
      const t = performance.now();
      coordinator.machines.list(principal, filter, PAGE, '');
      indexed.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      indexedCpu.push((used.user + used.system) / 1000);
    }

    // The contender: the visibility rule over every machine in id order, as ListMachines read before.
    const scanned: number[] = [];
    for (let s = 0; s < options.scanSamples; s++) {
      const principal = pick();
      const filter = query(rnd, principal);
      const t = performance.now();
      const page: Machine[] = [];
      for (const machine of table.list({ status: filter.status, afterId: '' })) {
        if (!canSeeMachine(principal, machine)) continue;
        if (filter.owner !== null && machine.owner !== filter.owner) continue;
        page.push(machine);
        if (page.length === PAGE) break;
      }
      scanned.push(performance.now() - t);
    }
    return {
      machines: options.machines,
      members: options.members,
      groups: options.groups,
      fillSeconds,
      memberListP50Ms: percentile(indexed, 0.5),
      memberListP99Ms: percentile(indexed, 0.99),
      memberListCpuP50Ms: percentile(indexedCpu, 0.5),
      memberListCpuP99Ms: percentile(indexedCpu, 0.99),
      memberListScanP50Ms: percentile(scanned, 0.5),
      memberListScanP99Ms: percentile(scanned, 0.99),
    };
  } finally {
    await coordinator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Run on its own: node dist/bench/alloc/member-list.js [--json]
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureMemberList();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else for (const [key, value] of Object.entries(result)) process.stdout.write(`${key.padEnd(24)}${value}\n`);
}
