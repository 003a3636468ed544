// npm run bench:fleet [-- --agents N] [-- --json] [-- --workers W] [-- --window S] [-- --settle S]
//                     [-- --probes R] [-- --heartbeat-deadline-ms MS] [-- --profile DIR] [-- --trace-gc]
//
// A coordinator in its own process (node dist/coordinator/src/main.js, heartbeat interval 5000 ms)
// and a fleet of simulated agents in W worker processes (default 3) plus one probe worker. Every
// agent enrolls through the real Enroll RPC with its own token and CSR, and holds a real session
// on a connection of its own, authenticated by its own client certificate. The fleet grows through
// the sizes (default 1000, 5000, 10000; --agents N for just N); at each size, once ListAgents shows
// every agent ONLINE and a settling time has passed, it measures over a steady window (default
// 30 s): coordinator CPU (/proc/<pid>/stat) and RSS (/proc/<pid>/status, the most sampled), and
// every heartbeat -> heartbeatAck round trip. Then the probe agent's process is SIGKILLed (the kernel
// closes its connection) and, restarted, SIGSTOPped just after a heartbeat was acknowledged (a
// silent host: detection by the heartbeat deadline); each time the agent.offline event is awaited
// through WatchEvents. --probes R repeats both R times and reports the worst. --trace-gc runs the
// coordinator with node --trace-gc and reports its GC pauses in the window and around each probe.
//
// Progress goes to stderr; stdout gets the table, or with --json exactly one JSON document: an
// array of results, or one result object with --agents.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchOptions, runBench, wholeNumber, type BenchRun } from '../shared/cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../../test/harness/coordinator-process.js';
import { CoordinatorView } from './coordinator-view.js';
import { GcTrace } from './gc-trace.js';
import { Fleet, PROBE_AGENT } from './fleet.js';
import { CpuMeter, establishedConnections, memory } from './proc-stats.js';
import { formatTable, machine, percentile, targets, type FleetResult } from './report.js';
import type { WindowStats } from './worker-protocol.js';

const HEARTBEAT_INTERVAL_MS = 5000;
const DEFAULT_SIZES = [1000, 5000, 10_000];
/** The whole run is abandoned (and cleaned up) after this long. */
const RUN_LIMIT_MS = 40 * 60_000;

const BENCH = {
  name: 'fleet',
  usage: `[--agents N] [--json] [--workers W] [--window S] [--settle S] [--key-pool K] [--probes P]
       [--heartbeat-deadline-ms MS] [--trace-gc] [--profile DIR]
(see the comment at the top of bench/fleet/run.ts)`,
};

const { values, sizes, workers, windowSeconds, settleSeconds, keyPool, probes, deadlineMs } = benchOptions(
  BENCH,
  {
    agents: { type: 'string' },
    json: { type: 'boolean', default: false },
    workers: { type: 'string', default: '3' },
    window: { type: 'string', default: '30' },
    settle: { type: 'string', default: '10' },
    'key-pool': { type: 'string', default: '4' },
    probes: { type: 'string', default: '1' },
    'heartbeat-deadline-ms': { type: 'string' },
    'trace-gc': { type: 'boolean', default: false },
    // Write a V8 CPU profile of the coordinator into this directory (written when it exits).
    profile: { type: 'string' },
  },
  (values) => ({
    values,
    sizes: values.agents === undefined ? DEFAULT_SIZES : [wholeNumber(values.agents, '--agents', 2, 20_000)],
    workers: wholeNumber(values.workers, '--workers', 1, 16),
    windowSeconds: wholeNumber(values.window, '--window', 5, 600),
    settleSeconds: wholeNumber(values.settle, '--settle', 0, 600),
    keyPool: wholeNumber(values['key-pool'], '--key-pool', 1, 64),
    probes: wholeNumber(values.probes, '--probes', 1, 20),
    deadlineMs:
      values['heartbeat-deadline-ms'] === undefined
        ? null
        : wholeNumber(values['heartbeat-deadline-ms'], '--heartbeat-deadline-ms', HEARTBEAT_INTERVAL_MS + 1, 600_000),
  }),
);
// The coordinator's default is three intervals (coordinator/src/config.ts); passed only when asked.
const heartbeatDeadlineMs = deadlineMs ?? 3 * HEARTBEAT_INTERVAL_MS;

const log = (line: string): void => void process.stderr.write(`${line}\n`);
// grpc-js sets the TLS servername to the target's IP address (DEP0123) when the probe enrolls here;
// the agent does the same, and the warning would only clutter the progress lines.
process.noDeprecation = true;

/** Polls ListAgents until `expected` agents are ONLINE. */
async function allOnline(view: CoordinatorView, expected: number, timeoutMs: number): Promise<{ online: number; ms: number }> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const counts = await view.agentCounts();
    if (counts.online === expected) return counts;
    if (performance.now() > until) throw new Error(`ListAgents shows ${counts.online} of ${expected} agents ONLINE after ${timeoutMs} ms`);
    await sleep(1000);
  }
}

/** One probe: signal -> agent.offline seen (ms) and -> the time the coordinator put on the event. */
interface OfflineSample {
  ms: number;
  recordedMs: number;
  why: string;
  signalledAt: number;
  observedAt: number;
}

/** SIGKILL or SIGSTOP of the probe worker -> the probe's agent.offline event. */
async function offlineAfter(signal: 'SIGKILL' | 'SIGSTOP', fleet: Fleet, view: CoordinatorView): Promise<OfflineSample> {
  const watch = await view.watchOffline(PROBE_AGENT, heartbeatDeadlineMs + 60_000);
  try {
    // Let the watch reach the coordinator; the timing starts at the signal.
    await sleep(300);
    // A silent agent's worst case: it dies just after a heartbeat was answered.
    if (signal === 'SIGSTOP') await fleet.nextProbeAck(2 * HEARTBEAT_INTERVAL_MS + 5000);
    const signalledAt = fleet.signalProbe(signal);
    const { observedAt, event } = await watch.offline;
    // event.time: when the coordinator recorded OFFLINE (before its commit was flushed and sent).
    return { ms: observedAt - signalledAt, recordedMs: Date.parse(event.time) - signalledAt, why: event.why, signalledAt, observedAt };
  } finally {
    watch.cancel();
    await fleet.removeProbe();
  }
}

/** R times: SIGKILL of the probe, then SIGSTOP of the restarted probe; the probe is gone after. */
async function probeOffline(
  fleet: Fleet,
  view: CoordinatorView,
  gc: GcTrace | undefined,
): Promise<{ killed: OfflineSample[]; silent: OfflineSample[] }> {
  const killed: OfflineSample[] = [];
  const silent: OfflineSample[] = [];
  const gcNote = (s: OfflineSample): string => {
    if (!gc) return '';
    const g = gc.between(s.signalledAt, s.observedAt);
    return `; coordinator GC meanwhile: ${g.pauses} pauses (${g.fullCollections} full), max ${g.maxPauseMs} ms, total ${g.totalPauseMs} ms`;
  };
  for (let r = 0; r < probes; r++) {
    if (r > 0) await fleet.startProbe();
    log(`bench:fleet SIGKILL of the probe agent (${r + 1}/${probes})`);
    const k = await offlineAfter('SIGKILL', fleet, view);
    log(`bench:fleet   OFFLINE after ${k.ms} ms (recorded at ${k.recordedMs} ms): ${k.why}${gcNote(k)}`);
    killed.push(k);
    await fleet.startProbe();
    log(`bench:fleet SIGSTOP of the restarted probe agent just after a heartbeat (${r + 1}/${probes})`);
    const s = await offlineAfter('SIGSTOP', fleet, view);
    log(`bench:fleet   OFFLINE after ${s.ms} ms (recorded at ${s.recordedMs} ms): ${s.why}${gcNote(s)}`);
    silent.push(s);
  }
  return { killed, silent };
}

const worst = (samples: OfflineSample[]): OfflineSample => samples.reduce((a, b) => (b.ms > a.ms ? b : a));

async function measure(
  agents: number,
  coordinator: CoordinatorProcess,
  view: CoordinatorView,
  fleet: Fleet,
  gc: GcTrace | undefined,
): Promise<FleetResult> {
  log(`bench:fleet growing the fleet to ${agents} agents`);
  const growth = await fleet.grow(agents);
  await fleet.startProbe();
  const counts = await allOnline(view, agents, 60_000);
  const tcpConnections = establishedConnections(coordinator.port);
  log(`bench:fleet ListAgents: ${counts.online} ONLINE (${counts.ms.toFixed(0)} ms); ${tcpConnections} TCP connections to the coordinator`);
  if (tcpConnections < agents) throw new Error(`only ${tcpConnections} TCP connections to the coordinator for ${agents} agents`);

  if (settleSeconds > 0) await sleep(settleSeconds * 1000);
  const lostBefore = fleet.lost.length;
  log(`bench:fleet steady window of ${windowSeconds} s with ${agents} agents`);
  const coordinatorCpu = new CpuMeter([coordinator.pid]);
  const workersCpu = new CpuMeter(fleet.pids());
  const rss = { rssMB: 0, rssAnonMB: 0 };
  const sample = (): void => {
    const m = memory(coordinator.pid);
    rss.rssMB = Math.max(rss.rssMB, m.rssMB);
    rss.rssAnonMB = Math.max(rss.rssAnonMB, m.rssAnonMB);
  };
  sample();
  const sampler = setInterval(sample, 1000);
  let stats: WindowStats;
  let cpuPercent: number;
  let workersCpuPercent: number;
  const windowStart = performance.now();
  const windowStartedAt = Date.now();
  try {
    await fleet.windowStart();
    await sleep(windowSeconds * 1000);
    stats = await fleet.windowStop();
    cpuPercent = coordinatorCpu.percent();
    workersCpuPercent = workersCpu.percent();
    sample();
  } finally {
    clearInterval(sampler);
  }
  const measuredSeconds = (performance.now() - windowStart) / 1000;
  const windowGc = gc?.between(windowStartedAt, Date.now());
  const sessionsLost = fleet.lost.length - lostBefore;
  if (sessionsLost > 0) throw new Error(`${sessionsLost} sessions ended during the window, first: ${fleet.lost[lostBefore]}`);
  const rtt = stats.rttMs.sort();
  const listAgentsDefaultClient = await view.defaultClientList();

  const samples = await probeOffline(fleet, view, gc);
  const killed = worst(samples.killed);
  const silent = worst(samples.silent);

  const round = (v: number, digits: number): number => Number(v.toFixed(digits));
  const result: Omit<FleetResult, 'targets'> = {
    agents,
    cpuPercent: round(cpuPercent, 1),
    rssMB: round(rss.rssMB, 0),
    rssAnonMB: round(rss.rssAnonMB, 0),
    offlineDetectMs: killed.ms,
    offlineRecordedMs: killed.recordedMs,
    offlineReason: killed.why,
    offlineDetectSamplesMs: samples.killed.map((s) => s.ms),
    silentOfflineDetectMs: silent.ms,
    silentOfflineRecordedMs: silent.recordedMs,
    silentOfflineReason: silent.why,
    silentOfflineDetectSamplesMs: samples.silent.map((s) => s.ms),
    heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    heartbeatDeadlineMs,
    heartbeatP50Ms: round(percentile(rtt, 50), 2),
    heartbeatP99Ms: round(percentile(rtt, 99), 2),
    heartbeatMaxMs: round(rtt.at(-1) ?? NaN, 1),
    heartbeatsPerSec: round(stats.acked / measuredSeconds, 0),
    heartbeatsUnanswered: stats.sent - stats.acked,
    heartbeatsOverdue: stats.overdue,
    windowSeconds,
    added: growth.added,
    tokenSeconds: round(growth.tokenSeconds, 1),
    enrollSeconds: round(growth.enrollSeconds, 1),
    enrollPerSec: round(growth.added / growth.enrollSeconds, 0),
    enrollCpuPercent: round(growth.enrollCpuPercent, 0),
    connectSeconds: round(growth.connectSeconds, 1),
    connectPerSec: round(growth.added / growth.connectSeconds, 0),
    connectCpuPercent: round(growth.connectCpuPercent, 0),
    online: counts.online,
    listAgentsMs: round(counts.ms, 0),
    listAgentsDefaultClient,
    tcpConnections,
    workersCpuPercent: round(workersCpuPercent, 1),
    sessionsLost,
    ...(windowGc ? { gcInWindow: windowGc } : {}),
  };
  return { ...result, targets: targets(result) };
}

async function main(run: BenchRun): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mooring-bench-fleet-'));
  let coordinator: CoordinatorProcess | undefined;
  let view: CoordinatorView | undefined;
  let fleet: Fleet | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await fleet?.close().catch((err: unknown) => log(`bench:fleet closing the workers: ${String(err)}`));
      view?.close();
      if (coordinator) {
        const c = coordinator;
        const hard = setTimeout(() => void c.kill('SIGKILL'), 30_000);
        await c.kill('SIGTERM');
        clearTimeout(hard);
      }
      rmSync(dataDir, { recursive: true, force: true });
    })());
  const abort = (why: string): void => {
    log(`\nbench:fleet ${why}: cleaning up`);
    void cleanup().finally(() => process.exit(1));
  };
  run.onInterrupt(cleanup);
  const limit = setTimeout(() => abort(`still running after ${RUN_LIMIT_MS / 60_000} minutes`), RUN_LIMIT_MS);
  limit.unref();

  try {
    const extraArgs = ['--heartbeat-interval-ms', String(HEARTBEAT_INTERVAL_MS)];
    if (deadlineMs !== null) extraArgs.push('--heartbeat-deadline-ms', String(heartbeatDeadlineMs));
    const nodeArgs = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
    if (values['trace-gc']) nodeArgs.push('--trace-gc');
    coordinator = await startCoordinatorProcess(dataDir, { logLevel: 'warn', extraArgs, nodeArgs });
    log(
      `bench:fleet coordinator pid ${coordinator.pid} on ${coordinator.address}, heartbeat ${HEARTBEAT_INTERVAL_MS} ms, OFFLINE ` +
        `deadline ${heartbeatDeadlineMs} ms`,
    );
    const gc = values['trace-gc'] ? new GcTrace(coordinator.child.stdout!) : undefined;
    view = new CoordinatorView(coordinator.address, coordinator.caPem, coordinator.adminToken);
    fleet = await Fleet.start({
      address: coordinator.address,
      caPem: coordinator.caPem,
      caFile: join(dataDir, 'ca.crt'),
      coordinatorPid: coordinator.pid,
      workers,
      keyPool,
      view,
      log,
    });
    const results: FleetResult[] = [];
    for (const agents of sizes) results.push(await measure(agents, coordinator, view, fleet, gc));
    const out = values.agents === undefined ? results : results[0];
    process.stdout.write(values.json ? `${JSON.stringify(out)}\n` : `${formatTable(results, machine())}\n`);
  } finally {
    clearTimeout(limit);
    await cleanup();
  }
}

runBench(BENCH, main);
