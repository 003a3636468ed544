// npm run bench:alloc -- [--machines N] [--clients C] [--seconds S] [--rate R] [--warmup S] [--json] [--no-member-list]
// (--store etcd [--coordinators N]: LMDB beside N coordinators on a real etcd cluster, etcd-bench.ts)
// Enlists N machines (and reports the enlist rate), then C concurrent gRPC clients, each on its
// own TLS connection, allocate and release for S seconds against a coordinator in its own process
// with durable commits. Reports allocations/s, p50/p99 allocation latency, double allocations
// (a machine allocated again before its release, by the coordinator's event log:
// allocation-audit.ts) and coordinator RSS.
// Beside it, in the same run, the same clients call WhoAmI (authentication only, bare-calls.ts),
// S/2 seconds before the allocation loop and S/2 after it: cycleCostRatio is the cost of one
// allocate+release cycle over that of two bare calls, from throughput and from coordinator CPU
// per call. Then an open loop (open-loop.ts) starts cycles on
// a schedule at R a second (default: half the closed loop's rate) and reports their p99, beside
// the p99 of bare calls on the same schedule (the transport's own floor on this machine).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { startCoordinatorProcess } from '../../test/harness/coordinator-process.js';
import { measureStoreCapacity, type StoreCapacity } from './store-capacity.js';
import { measureMemberList, MEMBER_LIST_DEFAULTS, type MemberListResult } from './member-list.js';
import { auditAllocations, auditStart } from './allocation-audit.js';
import { bracketing, measureBareCalls } from './bare-calls.js';
import { runOpenLoop, warmUpOpenLoop } from './open-loop.js';
import { startFsyncProbe } from './fsync-probe.js';
import { processCpuMs } from './process-cpu.js';
import { etcdBenchOptions, runEtcdBench } from './etcd-bench.js';
import { benchNodeArgs } from './etcd-coordinators.js';
import { benchOptions, numberAtLeast, oneOf, runBench, wholeNumber } from '../shared/cli.js';
import { GcTrace, type GcSummary } from '../fleet/gc-trace.js';
import { eventLoopDelayWindow } from '../sequence/event-loop-delay.js';
import { handlingWindow } from './histogram-window.js';

const BENCH = {
  name: 'alloc',
  usage: `[--machines N] [--clients C] [--seconds S] [--rate R] [--warmup S] [--json] [--own-connections]
       [--in-process] [--no-member-list] [--profile DIR] [--trace-gc]
   or: --store etcd [--coordinators 3|1|1,3] [--gather MS,...] [--rejoin MS,...] [--clients-on all|first]
       [--machines N] [--clients C] [--seconds S] [--rate R] [--warmup S] [--json] [--profile DIR] [--trace-gc]
(see the comments at the top of bench/alloc/run.ts and bench/alloc/etcd-bench.ts)`,
};

const { values, machines, clients, seconds, rate, warmup, etcd } = benchOptions(
  BENCH,
  {
    machines: { type: 'string' },
    clients: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '10' },
    // Open-loop allocate+release cycles a second; default: half the closed loop's rate.
    rate: { type: 'string' },
    json: { type: 'boolean', default: false },
    // Give every client its own TCP/TLS connection instead of grpc-js's default of one shared
    // connection per target.
    'own-connections': { type: 'boolean', default: false },
    // Also measure the same loop in-process without gRPC (the store's own capacity).
    'in-process': { type: 'boolean', default: false },
    // lmdb: this benchmark; etcd: LMDB beside coordinators on etcd (etcd-bench.ts).
    store: { type: 'string', default: 'lmdb' },
    coordinators: { type: 'string' },
    // --store etcd: the coordinators' --etcd-batch-gather-ms, one etcd set per value (e.g. 0,4).
    gather: { type: 'string' },
    // --store etcd: the coordinators' --etcd-batch-rejoin-ms, one etcd set per value and gather (e.g. 0,10).
    rejoin: { type: 'string' },
    // --store etcd: all (default) spreads the clients evenly over the coordinators; first puts every
    // client on the first, the others only following the store (what spreading costs on one machine).
    'clients-on': { type: 'string' },
    // Write a V8 CPU profile of the coordinator into this directory.
    profile: { type: 'string' },
    // Run the coordinator with node --trace-gc and report its GC pauses during the open loop.
    'trace-gc': { type: 'boolean', default: false },
    // Skip members' list pages at 100k machines (member-list.ts), measured in-process after the run.
    'no-member-list': { type: 'boolean', default: false },
    // Seconds of each open loop's schedule run untimed before it is measured (open-loop.ts).
    warmup: { type: 'string', default: '1' },
  },
  (values) => {
    const rate = values.rate === undefined ? null : numberAtLeast(values.rate, '--rate (cycles a second)', 0, true);
    const warmup = numberAtLeast(values.warmup, '--warmup (seconds)', 0);
    const store = oneOf(values.store, '--store', ['lmdb', 'etcd']);
    const etcdOnly = (['coordinators', 'gather', 'rejoin', 'clients-on'] as const).filter((k) => values[k] !== undefined);
    if (store === 'lmdb' && etcdOnly.length > 0) throw new Error(`${etcdOnly.map((k) => `--${k}`).join(', ')}: only with --store etcd`);
    const lmdbOnly = (['own-connections', 'in-process', 'no-member-list'] as const).filter((k) => values[k]);
    if (store === 'etcd' && lmdbOnly.length > 0) throw new Error(`${lmdbOnly.map((k) => `--${k}`).join(', ')}: not with --store etcd`);
    return {
      values,
      machines: wholeNumber(values.machines ?? '100000', '--machines', 1, 1_000_000),
      clients: wholeNumber(values.clients, '--clients', 1, 10_000),
      seconds: wholeNumber(values.seconds, '--seconds', 1, 3600),
      rate,
      warmup,
      etcd:
        store === 'etcd'
          ? etcdBenchOptions(values, { rate, warmup, json: values.json, profile: values.profile, traceGc: values['trace-gc'] })
          : null,
    };
  },
);
const USERS = 8;
const ENLIST_IN_FLIGHT = 256;

function rssMB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const log = (line: string): void => {
  if (!values.json) process.stderr.write(`${line}\n`);
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mooring-bench-alloc-'));
  const nodeArgs = benchNodeArgs(values.profile, values['trace-gc']);
  const coordinator = await startCoordinatorProcess(dataDir, { logLevel: 'warn', nodeArgs });
  const gc = values['trace-gc'] ? new GcTrace(coordinator.child.stdout!) : undefined;
  const open: CoordinatorClient[] = [];
  const connect = (token: string): CoordinatorClient => {
    const c = new CoordinatorClient({
      address: coordinator.address,
      caPem: coordinator.caPem,
      token,
      ownConnection: values['own-connections'],
    });
    open.push(c);
    return c;
  };
  try {
    const admin = connect(coordinator.adminToken);
    const tokens: string[] = [];
    for (let u = 0; u < USERS; u++) {
      await admin.call('TenancyService', 'CreateUser', { name: `bench${u}`, role: 'ROLE_MEMBER' });
      tokens.push((await admin.call('TenancyService', 'CreateToken', { user: `bench${u}` })).secret);
    }

    log(`enlisting and commissioning ${machines} machines...`);
    const enlistStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(ENLIST_IN_FLIGHT, machines) }, async () => {
        for (let i = next++; i < machines; i = next++) {
          await admin.call('MachineService', 'EnlistMachine', {
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
    const enlistSeconds = (performance.now() - enlistStart) / 1000;
    const enlistPerSec = Math.round(machines / enlistSeconds);
    log(`enlisted ${machines} in ${enlistSeconds.toFixed(1)} s (${enlistPerSec}/s)`);

    const workers = Array.from({ length: clients }, (_, i) => connect(tokens[i % USERS]!));
    // Warm the connections up so TLS handshakes are not counted as allocation latency.
    await Promise.all(workers.map((w) => w.call('TenancyService', 'WhoAmI', {})));

    // The bare calls' yardstick is taken in two halves, before and after the allocation loop (bare-calls.ts).
    log(`bare calls (WhoAmI) for ${seconds / 2} s...`);
    const bareBefore = await measureBareCalls(workers, coordinator.pid, seconds / 2);
    log(`${bareBefore.callsPerSec} bare calls/s`);

    const auditFrom = await auditStart(admin);
    let failures = 0;
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    const runStart = performance.now();
    const cpuStart = { coordinator: processCpuMs(coordinator.pid), bench: process.cpuUsage() };
    await Promise.all(
      workers.map(async (client) => {
        while (performance.now() < deadline) {
          const started = performance.now();
          let id: string;
          try {
            const { machine } = await client.call('MachineService', 'AllocateMachine', {});
            id = machine!.id;
          } catch {
            failures++;
            continue;
          }
          latencies.push(performance.now() - started);
          await client.call('MachineService', 'ReleaseMachine', { machine: id });
        }
      }),
    );
    const runSeconds = (performance.now() - runStart) / 1000;
    // CPU per allocate+release cycle does not swing with other load on the machine as rates do.
    const coordinatorCpu = processCpuMs(coordinator.pid) - cpuStart.coordinator;
    const benchUsage = process.cpuUsage(cpuStart.bench);
    const benchCpu = (benchUsage.user + benchUsage.system) / 1000;
    const sorted = Float64Array.from(latencies).sort();
    const allocPerSec = Math.round(latencies.length / runSeconds);
    log(`bare calls (WhoAmI) again for ${seconds / 2} s...`);
    const bareAfter = await measureBareCalls(workers, coordinator.pid, seconds / 2);
    const bare = bracketing(bareBefore, bareAfter);
    log(`${bareAfter.callsPerSec} bare calls/s (${bare.callsPerSec} over both)`);

    const openRate = rate ?? Math.max(1, Math.round(allocPerSec / 2));
    log(`open loop at ${openRate} cycles/s for ${seconds} s (after ${warmup} s untimed)...`);
    await warmUpOpenLoop(workers, openRate, warmup);
    // The coordinator's own event-loop delay p99 and GC pauses over the open loop: a tail they
    // cause is the coordinator's, one they do not is the machine's or the load generator's.
    const openLoopStart = Date.now();
    const endLoopDelay = coordinator.metricsUrl ? await eventLoopDelayWindow(coordinator.metricsUrl) : null;
    const endHandling = coordinator.metricsUrl ? await handlingWindow(coordinator.metricsUrl) : null;
    const endFsync = startFsyncProbe(dataDir);
    const openLoop = await runOpenLoop(workers, openRate, seconds);
    const fsync = await endFsync();
    const openLoopEventLoopP99Ms = endLoopDelay ? Number((await endLoopDelay()).toFixed(1)) : null;
    const openLoopHandling = endHandling ? await endHandling() : null;
    const openLoopGc: GcSummary | undefined = gc?.between(openLoopStart, Date.now());
    // The floor under that p99: the same schedule of bare calls (the transport and this machine alone).
    log(`open loop of bare calls at ${openRate} cycles/s for ${seconds} s (after ${warmup} s untimed)...`);
    await warmUpOpenLoop(workers, openRate, warmup, 'bare');
    const bareOpenLoop = await runOpenLoop(workers, openRate, seconds, 'bare');
    const audit = await auditAllocations(admin, auditFrom);
    const doubleAllocations = audit.doubleAllocations;
    const cpuPerCycle = coordinatorCpu / Math.max(1, latencies.length);
    let storeOnly: StoreCapacity | undefined;
    if (values['in-process']) {
      log('measuring the same loop in-process, without gRPC...');
      storeOnly = await measureStoreCapacity(machines, clients, seconds);
    }
    let memberList: MemberListResult | undefined;
    if (!values['no-member-list']) {
      log(`members' list pages: ${MEMBER_LIST_DEFAULTS.machines} machines filled in-process...`);
      memberList = await measureMemberList();
    }
    const result = {
      machines,
      clients,
      seconds: Number(runSeconds.toFixed(2)),
      enlistPerSec,
      allocations: latencies.length,
      allocPerSec,
      p50Ms: Number(percentile(sorted, 50).toFixed(2)),
      p99Ms: Number(percentile(sorted, 99).toFixed(2)),
      doubleAllocations,
      failures,
      coordinatorCpuMsPerCycle: Number(cpuPerCycle.toFixed(3)),
      clientsCpuMsPerCycle: Number((benchCpu / Math.max(1, latencies.length)).toFixed(3)),
      rssMB: rssMB(coordinator.pid, 'VmRSS'),
      peakRssMB: rssMB(coordinator.pid, 'VmHWM'),
      bareCallsPerSec: bare.callsPerSec,
      bareCallsPerSecBefore: bareBefore.callsPerSec,
      bareCallsPerSecAfter: bareAfter.callsPerSec,
      bareCallFailures: bare.failures,
      coordinatorCpuMsPerBareCall: bare.coordinatorCpuMsPerCall,
      clientsCpuMsPerBareCall: bare.clientsCpuMsPerCall,
      // (1 / allocPerSec) / (2 / bareCallsPerSec): one cycle's time over two bare calls' time.
      cycleCostRatio: Number((bare.callsPerSec / Math.max(1, 2 * allocPerSec)).toFixed(2)),
      cycleCpuCostRatio: Number((cpuPerCycle / Math.max(1e-9, 2 * bare.coordinatorCpuMsPerCall)).toFixed(2)),
      openLoopRate: openLoop.rate,
      openLoopWarmupSeconds: warmup,
      openLoopAllocations: openLoop.allocations,
      openLoopFailures: openLoop.failures,
      openLoopP50Ms: openLoop.p50Ms,
      openLoopP99Ms: openLoop.p99Ms,
      openLoopMaxInFlight: openLoop.maxInFlight,
      openLoopSendLateP99Ms: openLoop.sendLateP99Ms,
      openLoopEventLoopP99Ms,
      ...(openLoopHandling ? { openLoopHandling } : {}),
      ...(openLoopGc ? { openLoopGc } : {}),
      bareOpenLoopP50Ms: bareOpenLoop.p50Ms,
      bareOpenLoopP99Ms: bareOpenLoop.p99Ms,
      ...fsync,
      auditedAllocations: audit.allocations,
      ...(storeOnly ? { storeOnly } : {}),
      ...(memberList ? { memberListP99Ms: memberList.memberListP99Ms, memberList } : {}),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const rows: [string, string][] = [
        ['machines', String(result.machines)],
        ['enlist + commission rate', `${result.enlistPerSec}/s`],
        ['clients', String(result.clients)],
        ['allocations/s', String(result.allocPerSec)],
        ['allocation p50', `${result.p50Ms} ms`],
        ['allocation p99', `${result.p99Ms} ms`],
        ['double allocations', String(result.doubleAllocations)],
        ['failed calls', String(result.failures)],
        ['coordinator CPU per cycle', `${result.coordinatorCpuMsPerCycle} ms`],
        ['load generator CPU per cycle', `${result.clientsCpuMsPerCycle} ms`],
        ['coordinator RSS (now / peak)', `${result.rssMB} / ${result.peakRssMB} MB`],
        ['bare calls/s (WhoAmI)', String(result.bareCallsPerSec)],
        ['coordinator CPU per bare call', `${result.coordinatorCpuMsPerBareCall} ms`],
        ['load generator CPU per bare call', `${result.clientsCpuMsPerBareCall} ms`],
        ['cycle cost / 2 bare calls (rate)', String(result.cycleCostRatio)],
        ['cycle cost / 2 bare calls (CPU)', String(result.cycleCpuCostRatio)],
        ['open loop rate', `${result.openLoopRate} cycles/s`],
        ['open loop allocation p50 / p99', `${result.openLoopP50Ms} / ${result.openLoopP99Ms} ms`],
        ['open loop failed cycles', String(result.openLoopFailures)],
        ['  load generator late, p99', `${result.openLoopSendLateP99Ms} ms`],
        ['  coordinator loop delay p99', `${result.openLoopEventLoopP99Ms} ms`],
        ...(openLoopHandling
          ? ([
              [
                '  handled in, p50 / p99 (bucket)',
                `${openLoopHandling.allocateHandlingP50Ms} / ${openLoopHandling.allocateHandlingP99Ms} ms`,
              ],
              ['  commits, p50 / p99 (bucket)', `${openLoopHandling.commitP50Ms} / ${openLoopHandling.commitP99Ms} ms`],
            ] as [string, string][])
          : []),
        ['  fdatasync beside it, p50 / p99', `${result.fsyncP50Ms} / ${result.fsyncP99Ms} ms`],
        ['open loop bare calls p50 / p99', `${result.bareOpenLoopP50Ms} / ${result.bareOpenLoopP99Ms} ms`],
        ['allocations in the event log', String(result.auditedAllocations)],
      ];
      if (openLoopGc) {
        rows.push(['  coordinator GC pauses (full)', `${openLoopGc.pauses} (${openLoopGc.fullCollections})`]);
        rows.push(['  GC pause max / total', `${openLoopGc.maxPauseMs} / ${openLoopGc.totalPauseMs} ms`]);
        if (openLoopGc.longestFullPhases)
          rows.push([
            '  longest full GC, ms by phase',
            Object.entries(openLoopGc.longestFullPhases)
              .map(([phase, ms]) => `${phase} ${ms}`)
              .join(', '),
          ]);
      }
      if (storeOnly) {
        rows.push(['without gRPC: allocations/s', String(storeOnly.allocPerSec)]);
        rows.push(['without gRPC: p50 / p99', `${storeOnly.p50Ms} / ${storeOnly.p99Ms} ms`]);
        rows.push(['without gRPC: double allocations', String(storeOnly.doubleAllocations)]);
      }
      if (memberList) {
        rows.push(['member list page p50 / p99', `${memberList.memberListP50Ms} / ${memberList.memberListP99Ms} ms`]);
        rows.push(['  its CPU time: p50 / p99', `${memberList.memberListCpuP50Ms} / ${memberList.memberListCpuP99Ms} ms`]);
        rows.push(['  scanning instead: p50 / p99', `${memberList.memberListScanP50Ms} / ${memberList.memberListScanP99Ms} ms`]);
      }
      process.stdout.write(rows.map(([k, v]) => `${k.padEnd(34)}${v}`).join('\n') + '\n');
    }
    if (doubleAllocations > 0 || (storeOnly?.doubleAllocations ?? 0) > 0) process.exitCode = 1;
  } finally {
    for (const c of open) c.close();
    await coordinator.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(BENCH, () => (etcd ? runEtcdBench(etcd) : main()));
