// One measurement of a coordinator set (etcd-coordinators.ts), the same for LMDB and etcd so the
// two compare fairly: enlist and commission the machines, then clients spread round-robin over the
// coordinators allocate and release in a closed loop (saturation: allocations/s, p50/p99), then an
// open loop at a fixed rate (open-loop.ts; default half the closed loop's rate) for the latency at
// a load the set can carry. Double allocations come from the event log, which every coordinator
// of an etcd prefix shares (allocation-audit.ts); the audit must also find every allocation a
// client was answered, or the log lost one.
// The store's own floor (`probe`) is timed beside a second open loop on the same schedule, after
// the measured one (etcd-probe.ts says why; the README has the figures). That loop's p99 is
// reported too (probedOpenLoopP99Ms), so each run shows what the probe costs.
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { CoordinatorSet } from './etcd-coordinators.js';
import { auditAllocations, auditStart } from './allocation-audit.js';
import { percentile, runOpenLoop, warmUpOpenLoop } from './open-loop.js';
import { processCpuMs } from './process-cpu.js';
import type { GcSummary } from '../fleet/gc-trace.js';
import { handlingWindow, storeWindow, type HandlingFigures } from './histogram-window.js';
import type { PutWatchFigures } from './etcd-probe.js';
import { eventLoopDelayWindow } from '../sequence/event-loop-delay.js';

export interface WorkloadOptions {
  readonly machines: number;
  readonly clients: number;
  readonly seconds: number;
  /** Open-loop cycles a second; null: half the closed loop's rate. */
  readonly rate: number | null;
  /** Seconds of the open loop's schedule run untimed before it is measured (open-loop.ts). */
  readonly warmup: number;
  /** Other processes whose CPU time the run costs (the etcd members). */
  readonly otherPids: readonly number[];
  /** Started beside a second open loop after the measured one, and stopped after it (etcd-probe.ts): the store's own floor. */
  readonly probe?: () => Promise<() => Promise<PutWatchFigures>>;
  /** The store's count of committed transactions so far (etcd: etcd_mvcc_txn_total of one member); absent on LMDB. */
  readonly storeTxns?: () => Promise<number>;
  /** 'all': the clients spread evenly over the coordinators; 'first': every client on the first, the others only following. */
  readonly clientsOn?: 'all' | 'first';
  readonly log: (line: string) => void;
}

export interface StoreFigures {
  readonly store: string;
  readonly coordinators: number;
  readonly enlistPerSec: number;
  readonly allocations: number;
  readonly allocPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly doubleAllocations: number;
  readonly failures: number;
  /** CPU ms per allocate+release cycle of the closed loop: every coordinator, the store's own processes, the load generator. */
  readonly coordinatorCpuMsPerCycle: number;
  /** The same, of each coordinator. */
  readonly coordinatorCpuMsPerCycleEach: readonly number[];
  readonly storeCpuMsPerCycle: number;
  readonly clientsCpuMsPerCycle: number;
  readonly openLoopRate: number;
  readonly openLoopP50Ms: number;
  readonly openLoopP99Ms: number;
  readonly openLoopFailures: number;
  /** p99 of how late the load generator itself sent the open loop's cycles (open-loop.ts): a tail it caused is its own. */
  readonly openLoopSendLateP99Ms: number;
  /** Bare calls (WhoAmI) on the open loop's schedule, clients and coordinators: the transport's own p50 and p99 at that rate. */
  readonly bareOpenLoopP50Ms: number;
  readonly bareOpenLoopP99Ms: number;
  /** Over the open loop (half the load): CPU ms per cycle of every coordinator, and of the store's own processes. */
  readonly openLoopCoordinatorCpuMsPerCycle: number;
  readonly openLoopStoreCpuMsPerCycle: number;
  /** Over the open loop, per coordinator: AllocateMachine inside it and its store commits (histogram bucket bounds). */
  readonly openLoopHandling: readonly HandlingFigures[] | null;
  /** Over the open loop, each coordinator's own event-loop delay p99 (ms): a tail it causes is the coordinator's. */
  readonly openLoopEventLoopP99Ms: readonly number[] | null;
  /** With --trace-gc: each coordinator's collections over the open loop (pauses, full ones, the longest, their total). */
  readonly openLoopGc?: readonly GcSummary[];
  readonly auditedAllocations: number;
  /** Closed loop: times a write's change ran again after a conflict with another coordinator, per write. */
  readonly rerunsPerWrite: number | null;
  /** Closed loop: the transactions the coordinators committed per allocate+release cycle (two writes; batching puts several in one). */
  readonly txnsPerCycle: number | null;
  /** Closed loop: writes per committed transaction (an LMDB group commit, an etcd Txn), from the coordinators' own histogram. */
  readonly writesPerTxn: number | null;
  /**
   * Closed loop: etcd's own count per cycle (etcd_mvcc_txn_total of one member, any client's; it
   * counts a Txn's compares and its writes apart, so about twice txnsPerCycle: etcd-bench.ts).
   */
  readonly etcdTxnsPerCycle?: number;
  /** Over a second open loop at the same rate, a bare etcd put until its watch shows it (etcd-probe.ts); absent on LMDB. */
  readonly putWatchP50Ms?: number;
  readonly putWatchP99Ms?: number;
  /** The allocation p99 of that second loop, which the probe's puts run beside. */
  readonly probedOpenLoopP99Ms?: number;
}

const USERS = 8;
const ENLIST_IN_FLIGHT = 64;

function cpuOf(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
}

export async function measureCoordinatorSet(set: CoordinatorSet, options: WorkloadOptions): Promise<StoreFigures> {
  const { coordinators } = set;
  const open: CoordinatorClient[] = [];
  const connect = (index: number, token: string): CoordinatorClient => {
    const c = coordinators[options.clientsOn === 'first' ? 0 : index % coordinators.length]!;
    const client = new CoordinatorClient({ address: c.address, caPem: c.caPem, token });
    open.push(client);
    return client;
  };
  try {
    const admins = coordinators.map((c, i) => connect(i, c.adminToken));
    const admin = admins[0]!;
    const tokens: string[] = [];
    for (let u = 0; u < USERS; u++) {
      await admin.call('TenancyService', 'CreateUser', { name: `bench${u}`, role: 'ROLE_MEMBER' });
      tokens.push((await admin.call('TenancyService', 'CreateToken', { user: `bench${u}` })).secret);
    }

    options.log(`${set.store} x${coordinators.length}: enlisting and commissioning ${options.machines} machines...`);
    const enlistStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(ENLIST_IN_FLIGHT, options.machines) }, async (_, lane) => {
        const client = admins[lane % admins.length]!;
        for (let i = next++; i < options.machines; i = next++) {
          await client.call('MachineService', 'EnlistMachine', {
            hostname: `bench-${i}`,
            arch: i % 10 === 0 ? 'arm64' : 'amd64',
            cores: 4 * (1 + (i % 16)),
            memoryMib: 8192 * (1 + (i % 8)),
            tags: i % 50 === 0 ? ['gpu'] : [],
            power: { driver: 'POWER_DRIVER_MANUAL' },
            commission: true,
          });
        }
      }),
    );
    const enlistPerSec = Math.round(options.machines / ((performance.now() - enlistStart) / 1000));

    const workers = Array.from({ length: options.clients }, (_, i) => connect(i, tokens[i % USERS]!));
    // Connections up and tokens known on every coordinator before the clock starts.
    await Promise.all(workers.map((w) => w.call('TenancyService', 'WhoAmI', {})));

    options.log(`${set.store} x${coordinators.length}: closed loop, ${options.clients} clients for ${options.seconds} s...`);
    const auditFrom = await auditStart(admin);
    const pids = coordinators.map((c) => c.pid);
    const metricsUrls = coordinators.flatMap((c) => (c.metricsUrl ? [c.metricsUrl] : []));
    const endStore = metricsUrls.length === coordinators.length ? await storeWindow(metricsUrls) : null;
    const txnsStart = options.storeTxns ? await options.storeTxns() : null;
    const eachStart = pids.map((pid) => processCpuMs(pid));
    const cpuStart = { coordinators: cpuOf(pids), store: cpuOf(options.otherPids), bench: process.cpuUsage() };
    let failures = 0;
    const latencies: number[] = [];
    const runStart = performance.now();
    const deadline = runStart + options.seconds * 1000;
    await Promise.all(
      workers.map(async (client) => {
        while (performance.now() < deadline) {
          const started = performance.now();
          try {
            const { machine } = await client.call('MachineService', 'AllocateMachine', {});
            latencies.push(performance.now() - started);
            await client.call('MachineService', 'ReleaseMachine', { machine: machine!.id });
          } catch {
            failures++;
          }
        }
      }),
    );
    const runSeconds = (performance.now() - runStart) / 1000;
    const cycles = Math.max(1, latencies.length);
    const coordinatorCpu = cpuOf(pids) - cpuStart.coordinators;
    const eachCpu = pids.map((pid, i) => processCpuMs(pid) - eachStart[i]!);
    const storeCpu = cpuOf(options.otherPids) - cpuStart.store;
    const benchUsage = process.cpuUsage(cpuStart.bench);
    const storeFigures = endStore ? await endStore() : null;
    const txns = options.storeTxns && txnsStart !== null ? (await options.storeTxns()) - txnsStart : null;
    const sorted = Float64Array.from(latencies).sort();
    const allocPerSec = Math.round(latencies.length / runSeconds);

    const openRate = options.rate ?? Math.max(1, Math.round(allocPerSec / 2));
    const openLoopLine = `open loop at ${openRate} cycles/s for ${options.seconds} s (after ${options.warmup} s untimed)`;
    options.log(`${set.store} x${coordinators.length}: ${openLoopLine}...`);
    const warmUpAllocations = await warmUpOpenLoop(workers, openRate, options.warmup);
    const measured = metricsUrls.length === coordinators.length;
    const endLoopDelay = measured ? await Promise.all(metricsUrls.map(eventLoopDelayWindow)) : null;
    const endHandling = measured ? await Promise.all(metricsUrls.map(handlingWindow)) : null;
    const openCpuStart = { coordinators: cpuOf(pids), store: cpuOf(options.otherPids) };
    const openLoopStart = Date.now();
    const openLoop = await runOpenLoop(workers, openRate, options.seconds);
    const openLoopGc = set.gcTraces?.map((trace) => trace.between(openLoopStart, Date.now()));
    const openCycles = Math.max(1, openLoop.allocations);
    const openCpu = { coordinators: cpuOf(pids) - openCpuStart.coordinators, store: cpuOf(options.otherPids) - openCpuStart.store };
    const loopDelays = endLoopDelay ? await Promise.all(endLoopDelay.map((end) => end())) : null;
    const openLoopEventLoopP99Ms = loopDelays?.map((ms) => Number(ms.toFixed(1))) ?? null;
    const openLoopHandling = endHandling ? await Promise.all(endHandling.map((end) => end())) : null;
    if (options.probe) options.log(`${set.store} x${coordinators.length}: the open loop again, beside a bare put+watch probe...`);
    const probed = options.probe ? await probeBeside(options.probe, () => runOpenLoop(workers, openRate, options.seconds)) : null;

    // The transport's own tail at the same rate: bare calls (WhoAmI, authentication only) on the
    // same schedule, clients and coordinators; the store idles meanwhile.
    options.log(`${set.store} x${coordinators.length}: bare calls on the open loop's schedule...`);
    await warmUpOpenLoop(workers, openRate, options.warmup, 'bare');
    const bareOpenLoop = await runOpenLoop(workers, openRate, options.seconds, 'bare');

    const answered = latencies.length + warmUpAllocations + openLoop.allocations + (probed?.allocations ?? 0);
    const audit = await auditUntilComplete(admin, auditFrom, answered);
    return {
      store: set.store,
      coordinators: coordinators.length,
      enlistPerSec,
      allocations: latencies.length,
      allocPerSec,
      p50Ms: Number(percentile(sorted, 50).toFixed(2)),
      p99Ms: Number(percentile(sorted, 99).toFixed(2)),
      doubleAllocations: audit.doubleAllocations,
      failures,
      coordinatorCpuMsPerCycle: Number((coordinatorCpu / cycles).toFixed(3)),
      coordinatorCpuMsPerCycleEach: eachCpu.map((ms) => Number((ms / cycles).toFixed(3))),
      storeCpuMsPerCycle: Number((storeCpu / cycles).toFixed(3)),
      clientsCpuMsPerCycle: Number(((benchUsage.user + benchUsage.system) / 1000 / cycles).toFixed(3)),
      openLoopRate: openLoop.rate,
      openLoopP50Ms: openLoop.p50Ms,
      openLoopP99Ms: openLoop.p99Ms,
      openLoopFailures: openLoop.failures,
      openLoopSendLateP99Ms: openLoop.sendLateP99Ms,
      bareOpenLoopP50Ms: bareOpenLoop.p50Ms,
      bareOpenLoopP99Ms: bareOpenLoop.p99Ms,
      openLoopCoordinatorCpuMsPerCycle: Number((openCpu.coordinators / openCycles).toFixed(3)),
      openLoopStoreCpuMsPerCycle: Number((openCpu.store / openCycles).toFixed(3)),
      openLoopHandling,
      openLoopEventLoopP99Ms,
      ...(openLoopGc ? { openLoopGc } : {}),
      auditedAllocations: audit.allocations,
      rerunsPerWrite: storeFigures?.rerunsPerWrite ?? null,
      txnsPerCycle: storeFigures ? Number((storeFigures.transactions / cycles).toFixed(3)) : null,
      writesPerTxn: storeFigures?.writesPerTransaction ?? null,
      ...(txns === null ? {} : { etcdTxnsPerCycle: Number((txns / cycles).toFixed(2)) }),
      ...(probed ? { putWatchP50Ms: probed.putWatchP50Ms, putWatchP99Ms: probed.putWatchP99Ms, probedOpenLoopP99Ms: probed.p99Ms } : {}),
    };
  } finally {
    for (const c of open) c.close();
  }
}

/** Runs `loop` with the probe beside it: the probe's figures, and the loop's p99 and allocations. */
async function probeBeside(
  probe: () => Promise<() => Promise<PutWatchFigures>>,
  loop: () => Promise<{ p99Ms: number; allocations: number }>,
): Promise<PutWatchFigures & { p99Ms: number; allocations: number }> {
  const end = await probe();
  const { p99Ms, allocations } = await loop();
  return { ...(await end()), p99Ms, allocations };
}

/**
 * The audit, read through one coordinator: on etcd its copy of the log may trail the commits the
 * others answered by a few milliseconds, so it is read again until it holds at least every
 * answered allocation. Fewer after 10 s is an error: an allocation was answered but not logged.
 */
async function auditUntilComplete(
  admin: CoordinatorClient,
  from: number,
  answered: number,
): Promise<{ allocations: number; doubleAllocations: number }> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const audit = await auditAllocations(admin, from);
    if (audit.allocations >= answered) return audit;
    if (performance.now() > deadline) {
      throw new Error(`the event log holds ${audit.allocations} allocations, but ${answered} were answered: allocations went unlogged`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
