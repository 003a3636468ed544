// Turns the per-machine timelines into the figures (total time; the sequencer's overhead
// p50/p99/max against the 100 ms target; median step durations for context) and sets them next
// to the fixed waits of Ironic's smartNIC flow (protocol-facts.md section 5), as one JSON object
// or a readable table.
import os from 'node:os';
import type { FloorRun } from './floor-client.js';
import { EXTERNAL_STEPS, GAP_POINTS, percentile, type MachineTimeline } from './timeline.js';

export const OVERHEAD_TARGET_MS = 100;
/** Issue 16's targets per deploy at 50 machines. */
export const PER_DEPLOY_TARGETS = { bmcSessions: 3, coordinatorCpuMs: 10, eventLoopP99Ms: 20 } as const;

/**
 * Ironic's fixed waits (ironic/conf/agent.py, ironic/common/neutron.py, ironic/conductor/utils.py):
 * wait_for_host_agent and wait_for_port_status retry every neutron_agent_status_retry_interval
 * (10 s) up to neutron_agent_max_attempts (100) times; restore_power_state_if_needed sleeps
 * 2 x neutron_agent_poll_interval (2 s) before restoring power.
 */
export const IRONIC = { agentStatusRetryIntervalMs: 10_000, agentMaxAttempts: 100, restoreSleepMs: 4_000 } as const;

export interface RunFacts {
  machines: number;
  /** Rounds the coordinator deployed (--rounds); the figures are the last one's. */
  rounds: number;
  /** First deploy request sent to the last DEPLOYED stamp. */
  totalMs: number;
  setupSeconds: number;
  setupParallel: number;
  powerConcurrency: number;
  /** Machines whose chassis log and br-int matched a BIOS-halt deploy. */
  verified: number;
  verifyFailures: string[];
  /** SimulatedHost failures while following the chassis (an agent that did not start in time). */
  harnessErrors: string[];
  coordinatorCpuSeconds: number;
  /** Of that, the main thread's (the event loop); the rest is GC helpers, LMDB and libuv threads. */
  coordinatorMainThreadCpuSeconds: number;
  /**
   * On-CPU ms of each thread of the coordinator over the deploys (schedstat), the main thread first,
   * then the others, busiest first (Node names them all "node").
   */
  coordinatorThreadCpuMs: number[];
  /** Store writes (store.write transactions, grouped into fewer commits) during the deploys. */
  storeWrites: number;
  /** The coordinator's CPU per second while idle, sampled just before the deploys (all threads, main thread). */
  coordinatorIdleCpuMsPerSecond: number;
  coordinatorIdleMainThreadCpuMsPerSecond: number;
  /** The deploys' window: first request to the last deploy ended. */
  windowSeconds: number;
  /** The coordinator's event loop runnable but without a CPU, during the deploys. */
  coordinatorRunQueueWaitSeconds: number;
  /** The process launcher's own CPU over the deploys (a child process: not in coordinatorCpuSeconds). */
  launcherCpuSeconds: number;
  /** Child processes the coordinator started during the deploys (see ipmitool-starts.ts). */
  childProcesses: number;
  /** ipmitool processes started: each sets up one RMCP+ session. */
  bmcSessions: number;
  /** Of those, long-lived sessions (ipmitool-session.ts). */
  longLivedSessions: number;
  /** The coordinator's event-loop delay p99 over the deploys (monitorEventLoopDelay, 10 ms resolution included). */
  eventLoopP99Ms: number;
  coordinatorPeakRssMB: number;
  memBaselineAvailableMB: number;
  memMinAvailableMB: number;
  maxLoad1m: number;
  simulatedHardwareNice: number;
  /** The agents' heartbeat interval the coordinator told them. */
  heartbeatIntervalMs: number;
  /** The floor's replay of the same deploys (floor-script.ts), or null when not run (--no-floor). */
  floor: FloorRun | null;
  /** The 1-minute load average at the end of the floor's replay. */
  floorLoad1m: number;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;
const r2 = (v: number): number => Math.round(v * 100) / 100;
const median = (xs: readonly number[]): number => percentile(xs, 50);
const ceilTo = (ms: number, step: number): number => Math.ceil(ms / step) * step;

export function summarise(facts: RunFacts, timelines: readonly MachineTimeline[]) {
  const deployed = timelines.filter((t) => t.outcome === 'DEPLOYED');
  const overhead = deployed.map((t) => t.overheadMs);
  const stepMedianMs = Object.fromEntries(EXTERNAL_STEPS.map((s) => [s, r1(median(deployed.map((t) => t.stepMs[s] ?? 0)))]));
  const stepMaxMs = Object.fromEntries(EXTERNAL_STEPS.map((s) => [s, r1(Math.max(...deployed.map((t) => t.stepMs[s] ?? 0)))]));
  const gapMedianMs = Object.fromEntries(GAP_POINTS.map((g) => [g, r1(median(deployed.map((t) => t.gapBeforeMs[g] ?? 0)))]));
  const gapP99Ms = Object.fromEntries(
    GAP_POINTS.map((g) => [
      g,
      r1(
        percentile(
          deployed.map((t) => t.gapBeforeMs[g] ?? 0),
          99,
        ),
      ),
    ]),
  );
  // The same steps under Ironic's flow (a model, not a measurement): each wait is seen by a 10 s
  // poll, so it lasts until the next multiple of 10 s (a new port is not ACTIVE at the first
  // check), and the restore is preceded by the 4 s sleep.
  const ironicModel = deployed.map(
    (t) =>
      t.wallMs -
      t.overheadMs -
      (t.stepMs['wait-agents'] ?? 0) -
      (t.stepMs['ports'] ?? 0) +
      ceilTo(t.stepMs['wait-agents'] ?? 0, IRONIC.agentStatusRetryIntervalMs) +
      ceilTo(Math.max(1, t.stepMs['ports'] ?? 0), IRONIC.agentStatusRetryIntervalMs) +
      IRONIC.restoreSleepMs,
  );
  const p99 = percentile(overhead, 99);
  const coordinatorCpuMsPerDeploy = r1((facts.coordinatorCpuSeconds * 1000) / facts.machines);
  const childProcessesPerDeploy = r1(facts.childProcesses / facts.machines);
  const bmcSessionsPerDeploy = r1(facts.bmcSessions / facts.machines);
  const eventLoopP99Ms = r1(facts.eventLoopP99Ms);
  const floor = facts.floor;
  const floorCpuMsPerDeploy = floor ? r1((floor.server.cpuSeconds * 1000) / facts.machines) : null;
  return {
    machines: facts.machines,
    rounds: facts.rounds,
    totalMs: Math.round(facts.totalMs),
    overheadP50Ms: r1(median(overhead)),
    overheadP99Ms: r1(p99),
    overheadMaxMs: r1(Math.max(...overhead)),
    overheadTargetMs: OVERHEAD_TARGET_MS,
    overheadTargetMet: deployed.length === facts.machines && p99 < OVERHEAD_TARGET_MS,
    coordinatorCpuMsPerDeploy,
    coordinatorMainThreadCpuMsPerDeploy: r1((facts.coordinatorMainThreadCpuSeconds * 1000) / facts.machines),
    /** Less what the same window costs an idle coordinator (its idle rate x the window). */
    coordinatorCpuMsPerDeployNetOfIdle: r1(
      (facts.coordinatorCpuSeconds * 1000 - facts.coordinatorIdleCpuMsPerSecond * facts.windowSeconds) / facts.machines,
    ),
    coordinatorMainThreadCpuMsPerDeployNetOfIdle: r1(
      (facts.coordinatorMainThreadCpuSeconds * 1000 - facts.coordinatorIdleMainThreadCpuMsPerSecond * facts.windowSeconds) / facts.machines,
    ),
    /** The process launcher's CPU (it forks the ipmitool sessions for the coordinator), beside the coordinator's. */
    launcherCpuMsPerDeploy: r2((facts.launcherCpuSeconds * 1000) / facts.machines),
    childProcessesPerDeploy,
    /** Each ipmitool process sets up one RMCP+ session. */
    bmcSessionsPerDeploy,
    longLivedSessionsPerDeploy: r1(facts.longLivedSessions / facts.machines),
    eventLoopP99Ms,
    perDeployTargets: PER_DEPLOY_TARGETS,
    perDeployTargetsMet: {
      bmcSessions: bmcSessionsPerDeploy <= PER_DEPLOY_TARGETS.bmcSessions,
      coordinatorCpu: coordinatorCpuMsPerDeploy <= PER_DEPLOY_TARGETS.coordinatorCpuMs,
      eventLoop: eventLoopP99Ms <= PER_DEPLOY_TARGETS.eventLoopP99Ms,
    },
    /** The floor's CPU per deploy: the same transport and storage work with none of Mooring's code (floor-script.ts). */
    floorCpuMsPerDeploy,
    /** coordinatorCpuMsPerDeploy over floorCpuMsPerDeploy. */
    coordinatorCpuVsFloor: floorCpuMsPerDeploy ? r2(coordinatorCpuMsPerDeploy / floorCpuMsPerDeploy) : null,
    floor: floor
      ? {
          cpuMsPerDeploy: floorCpuMsPerDeploy,
          mainThreadCpuMsPerDeploy: r1((floor.server.mainThreadCpuSeconds * 1000) / facts.machines),
          writesPerDeploy: r1(floor.server.writes / facts.machines),
          eventsPerDeploy: r1(floor.server.events / facts.machines),
          bmcCommandsPerDeploy: r1(floor.server.bmcCommands / facts.machines),
          sessionsPerDeploy: r1(floor.server.sessions / facts.machines),
          commandsPerDeploy: r1(floor.server.commands / facts.machines),
          deploysAnswered: floor.deploysAnswered,
          eventsReceived: floor.eventsReceived,
          eventLoopP99Ms: r1(floor.server.eventLoopP99Ms),
          windowSeconds: r1(floor.windowSeconds),
          load1mAtEnd: r1(facts.floorLoad1m),
        }
      : null,
    deployed: deployed.length,
    failed: timelines.length - deployed.length,
    verified: facts.verified,
    verifyFailures: facts.verifyFailures,
    harnessErrors: facts.harnessErrors,
    wallP50Ms: Math.round(median(deployed.map((t) => t.wallMs))),
    wallMaxMs: Math.round(Math.max(...deployed.map((t) => t.wallMs))),
    stepMedianMs,
    stepMaxMs,
    /** Where the overhead lies: before each step and before DEPLOYED (see timeline.ts). */
    overheadBeforeStepMedianMs: gapMedianMs,
    overheadBeforeStepP99Ms: gapP99Ms,
    ironic: { ...IRONIC, fixedWaitsPerDeployMs: IRONIC.restoreSleepMs, modelWallP50Ms: Math.round(median(ironicModel)) },
    mooringFixedWaits: 0,
    setup: { seconds: r1(facts.setupSeconds), parallel: facts.setupParallel },
    coordinator: {
      cpuSeconds: r1(facts.coordinatorCpuSeconds),
      mainThreadCpuSeconds: r1(facts.coordinatorMainThreadCpuSeconds),
      idleCpuMsPerSecond: r1(facts.coordinatorIdleCpuMsPerSecond),
      idleMainThreadCpuMsPerSecond: r1(facts.coordinatorIdleMainThreadCpuMsPerSecond),
      windowSeconds: r1(facts.windowSeconds),
      runQueueWaitSeconds: r1(facts.coordinatorRunQueueWaitSeconds),
      storeWritesPerDeploy: r1(facts.storeWrites / facts.machines),
      /** Per deploy: the main thread, then the other threads busiest first (those above 0.1 ms). */
      threadCpuMsPerDeploy: facts.coordinatorThreadCpuMs.map((ms) => r1(ms / facts.machines)).filter((ms, i) => i === 0 || ms > 0.1),
      peakRssMB: facts.coordinatorPeakRssMB,
      powerConcurrency: facts.powerConcurrency,
      heartbeatIntervalMs: facts.heartbeatIntervalMs,
    },
    system: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      memBaselineAvailableMB: facts.memBaselineAvailableMB,
      memMinAvailableMB: facts.memMinAvailableMB,
      maxLoad1m: r1(facts.maxLoad1m),
      simulatedHardwareNice: facts.simulatedHardwareNice,
    },
  };
}

export type BenchResult = ReturnType<typeof summarise>;

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

function perDeployRow(what: string, value: number, target: number): string[] {
  return [what, String(value), `<= ${target}`, value <= target ? 'met' : 'MISSED'];
}

export function formatTable(r: BenchResult): string {
  const steps = [
    ['step (inside BMC calls / agent waits)', 'median ms', 'max ms'],
    ...EXTERNAL_STEPS.map((s) => [s, r.stepMedianMs[s]!.toFixed(1), r.stepMaxMs[s]!.toFixed(1)]),
  ];
  const gaps = [
    ['overhead before', 'median ms', 'p99 ms'],
    ...GAP_POINTS.map((g) => [g, r.overheadBeforeStepMedianMs[g]!.toFixed(1), r.overheadBeforeStepP99Ms[g]!.toFixed(1)]),
  ];
  const s = r.system;
  return [
    `BIOS-halt deploy of ${r.machines} machines in parallel (ipmi_sim BMCs, smartNIC agents on their own OVS), one coordinator process` +
      (r.rounds > 1 ? `; round ${r.rounds} of ${r.rounds} (each earlier round deployed, released and allocated every machine)` : ''),
    `machine: ${s.cpus} x ${s.cpuModel}, node ${s.node}; max load average ${s.maxLoad1m}; memory available ` +
      `${s.memBaselineAvailableMB} MB before, ${s.memMinAvailableMB} MB at the lowest`,
    `simulated hardware (agents, OVS, ipmi_sim) at nice ${s.simulatedHardwareNice}; coordinator power concurrency ` +
      `${r.coordinator.powerConcurrency}, during the deploys it used ${r.coordinator.cpuSeconds} s CPU (all threads) and its event ` +
      `loop waited ${r.coordinator.runQueueWaitSeconds} s for a CPU; peak RSS ${r.coordinator.peakRssMB} MB`,
    `setup: ${r.setup.seconds} s (${r.setup.parallel} hosts at a time)`,
    '',
    `deployed                               ${r.deployed}/${r.machines} (failed ${r.failed}; chassis log and br-int verified on ` +
      `${r.verified})`,
    `total (first deploy to last DEPLOYED)  ${(r.totalMs / 1000).toFixed(2)} s`,
    `per-machine wall p50 / max             ${(r.wallP50Ms / 1000).toFixed(2)} / ${(r.wallMaxMs / 1000).toFixed(2)} s`,
    `sequencer overhead p50 / p99 / max     ${r.overheadP50Ms} / ${r.overheadP99Ms} / ${r.overheadMaxMs} ms`,
    `target overhead p99 < ${r.overheadTargetMs} ms            ${r.overheadTargetMet ? 'met' : 'MISSED'}`,
    '',
    pad([
      ['per deploy', 'measured', 'target', ''],
      perDeployRow('coordinator CPU, ms (all threads, no children)', r.coordinatorCpuMsPerDeploy, r.perDeployTargets.coordinatorCpuMs),
      ['  of which its main thread (event loop), ms', String(r.coordinatorMainThreadCpuMsPerDeploy), '', ''],
      [
        `  net of idle (${r.coordinator.idleCpuMsPerSecond} ms/s x ${r.coordinator.windowSeconds} s): all / main, ms`,
        `${r.coordinatorCpuMsPerDeployNetOfIdle} / ${r.coordinatorMainThreadCpuMsPerDeployNetOfIdle}`,
        '',
        '',
      ],
      ["the process launcher's CPU (a child; it forks the sessions), ms", String(r.launcherCpuMsPerDeploy), '', ''],
      perDeployRow('BMC session setups (ipmitool processes)', r.bmcSessionsPerDeploy, r.perDeployTargets.bmcSessions),
      [`child processes started (${r.longLivedSessionsPerDeploy} long-lived sessions)`, String(r.childProcessesPerDeploy), '', ''],
      perDeployRow('event-loop delay p99 over the run, ms', r.eventLoopP99Ms, r.perDeployTargets.eventLoopP99Ms),
      ...(r.floor
        ? [
            [
              `the floor: the same writes, calls, sessions, BMC lines and events, no Mooring code (${r.floor.windowSeconds} s replay), ms`,
              String(r.floor.cpuMsPerDeploy),
              '',
              '',
            ],
            ['  coordinator CPU over the floor', String(r.coordinatorCpuVsFloor), '', ''],
            [
              "  the floor's main thread, ms; its event-loop delay p99, ms",
              `${r.floor.mainThreadCpuMsPerDeploy}; ${r.floor.eventLoopP99Ms}`,
              '',
              '',
            ],
          ]
        : []),
    ]),
    '',
    pad(steps),
    '',
    pad(gaps),
    '',
    `Ironic: >= ${IRONIC.restoreSleepMs / 1000} s fixed sleep per restore + ${IRONIC.agentStatusRetryIntervalMs / 1000} s polling ` +
      `granularity per wait (agent up, port ACTIVE; up to ${IRONIC.agentMaxAttempts} attempts); ` +
      `Mooring: 0 fixed waits, overhead p99 ${r.overheadP99Ms} ms`,
    `the same steps with Ironic's waits (model: waits rounded up to 10 s polls, + 4 s sleep): wall p50 ` +
      `${(r.ironic.modelWallP50Ms / 1000).toFixed(1)} s vs ${(r.wallP50Ms / 1000).toFixed(2)} s measured`,
    ...(r.verifyFailures.length > 0 ? ['', 'verification failures:', ...r.verifyFailures.map((f) => `  ${f}`)] : []),
    ...(r.harnessErrors.length > 0
      ? ['', `simulated host errors (${r.harnessErrors.length}):`, ...r.harnessErrors.slice(0, 10).map((f) => `  ${f.slice(0, 200)}`)]
      : []),
  ].join('\n');
}
