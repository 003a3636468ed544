// npm run bench:sequence -- [--machines N] [--json] [--parallel P] [--power-concurrency C]
//                            [--profile DIR] [--hardware-nice 0..19] [--heartbeat-interval-ms MS]
//                            [--rounds R] [--no-floor] [--help]
//
// N machines (default 50), each a SimulatedHost (test/harness/simulated-host.ts): its own ipmi_sim
// BMC, and a smartNIC with its own ovsdb-server + ovs-vswitchd (dummy datapath) whose mooring-agent
// boots when the chassis powers on and dies when it powers off. Every machine is powered off,
// enlisted with ipmi power and one smartNIC port, commissioned and allocated, P at a time (default
// 8); then all N are deployed at once through a coordinator in its own process, over gRPC. Each
// deploy is the BIOS-halt sequence: read power, boot BIOS once, power on, wait for the agent's new
// session, bind the port (the agent's OVS work), set the deploy boot device, power off, power on.
//
// Figures come from the coordinator's own event log (timeline.ts): total time from the first
// deploy request to the last DEPLOYED, and per machine the sequencer's overhead, its wall time
// minus the steps spent in BMC calls, waiting for the agent and the agent's OVS work. Afterwards
// every machine is checked: chassis calls in BIOS-halt order, powered on, its port on br-int.
//
// The simulated hardware runs at --hardware-nice during the deploys (default 10; 0 shares the CPU
// evenly): the BMCs (ipmi_sim) and the smartNICs' OVS daemons, reniced once set up, and the agents
// the hosts boot. On a real site BMCs and smartNICs are other computers, and on a small machine 50
// booting agents and 50 BMCs answering at once otherwise take the CPU the coordinator's overhead is
// measured on. At 19 too many agents miss the harness's 15 s start bound (see stragglers.ts). The
// coordinator's ipmitool children run at its priority. --profile DIR writes a V8 CPU profile of the
// coordinator there (sampled every 4 ms).
// The agents heartbeat at the coordinator's default interval (5 s, what a site runs unless it
// chooses otherwise); --heartbeat-interval-ms sets another (the bench ran them at 1 s before).
//
// Per deploy, also: the coordinator's own CPU time (all its threads, /proc/<pid>/stat utime + stime,
// which leave out its children), the child processes it started (ipmitool-starts.ts) and its
// event-loop delay p99 over the deploys (event-loop-delay.ts). The coordinator's CPU is also
// sampled for 10 s while idle just before the deploys, so the per-deploy CPU is also given net of
// what the deploys' window would have cost with nothing to do (coordinatorCpuMsPerDeployNetOfIdle).
//
// The floor (floor-script.ts, on by default; --no-floor leaves it out): after the deploys, a process
// with none of Mooring's code replays the same deploys' transport and storage work at the times the
// coordinator did it (the same durable writes and events, the deploy calls, the agents' TLS sessions
// with their command, the BMC commands' pipe lines), and its CPU per deploy is reported beside the
// coordinator's (floorCpuMsPerDeploy, coordinatorCpuVsFloor): what any coordinator doing that work
// on this machine would spend.
//
// --rounds R (default 1) measures a coordinator that has deployed before, as one on a site has: R - 1
// rounds first deploy every machine, release it (its own sequence: the ports unbound, powered off)
// and allocate it again, and the figures are the last round's (its events, its chassis calls). The
// floor then replays its script R times in one process and reports the last replay, so both run
// code the same number of times.
//
// Every phase is bounded, and everything started is stopped at the end, on failure or on
// SIGINT/SIGTERM. Progress goes to stderr; stdout gets the table, or with --json one JSON object.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '../../coordinator/src/config.js';
import { DEFAULT_MAX_CONCURRENT_POWER_CALLS } from '../../coordinator/src/power/bounded-drivers.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../../test/harness/coordinator-process.js';
import { benchOptions, runBench, wholeNumber, type BenchRun } from '../shared/cli.js';
import { boundedEach, within } from './deadline.js';
import { eventLoopDelayWindow, storeWrites } from './event-loop-delay.js';
import { EventFollower } from './event-follower.js';
import { replayFloor, type FloorRun } from './floor-client.js';
import { floorScript } from './floor-script.js';
import { HOSTNAME_PREFIX, HostFleet, PORT_ID, type FleetMachine } from './host-fleet.js';
import { countIpmitoolStarts } from './ipmitool-starts.js';
import { formatTable, summarise } from './report.js';
import {
  launcherPid,
  schedCpuSeconds,
  startedProcesses,
  cpuSeconds,
  mainThreadCpuSeconds,
  peakRssMB,
  runQueueWaitSeconds,
  SystemSampler,
  threadCpuSeconds,
} from './system-sampler.js';
import { killStragglers } from './stragglers.js';
import { deployTimelines } from './timeline.js';

/** What the chassis of a machine that was off must see, in order, for a BIOS-halt deploy. */
const EXPECTED_CHASSIS = ['set boot bios', 'set power 1', 'set boot pxe', 'set power 0', 'set power 1'];
const ENDED = new Set(['DEPLOYED', 'FAILED_DEPLOYMENT']);
/** Where a release ends: READY, or BROKEN when it failed. */
const RELEASE_ENDED = new Set(['READY', 'BROKEN']);
/** Bound on waiting for the BMC sessions commissioning opened to end before the deploys. */
const QUIET_BOUND_MS = 180_000;
/**
 * Reports per agent session in the floor's replay: counted over the agent link in a 50-machine run
 * (2026-12-05), 154 reports and 50 command results, about 3 reports per deploy.
 */
const FLOOR_REPORTS_PER_SESSION = 3;
/** How long the coordinator's idle CPU is sampled before the deploys (/proc ticks are 10 ms). */
const IDLE_SAMPLE_MS = 10_000;

const BENCH = {
  name: 'sequence',
  usage: `[--machines N] [--json] [--parallel P] [--power-concurrency C] [--profile DIR]
       [--hardware-nice 0..19] [--heartbeat-interval-ms MS] [--rounds R] [--no-floor]
(see the comment at the top of bench/sequence/run.ts)`,
};

const { values, machines, parallel, rounds, hardwareNice, heartbeatIntervalMs, powerConcurrency } = benchOptions(
  BENCH,
  {
    machines: { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
    parallel: { type: 'string', default: '8' },
    'power-concurrency': { type: 'string' },
    profile: { type: 'string' },
    'hardware-nice': { type: 'string', default: '10' },
    'heartbeat-interval-ms': { type: 'string' },
    rounds: { type: 'string', default: '1' },
    'no-floor': { type: 'boolean', default: false },
  },
  (values) => ({
    values,
    machines: wholeNumber(values.machines, '--machines', 1, 500),
    parallel: wholeNumber(values.parallel, '--parallel', 1, 64),
    rounds: wholeNumber(values.rounds, '--rounds', 1, 5),
    hardwareNice: wholeNumber(values['hardware-nice'], '--hardware-nice', 0, 19),
    heartbeatIntervalMs:
      values['heartbeat-interval-ms'] === undefined
        ? null
        : wholeNumber(values['heartbeat-interval-ms'], '--heartbeat-interval-ms', 1, 600_000),
    powerConcurrency:
      values['power-concurrency'] === undefined
        ? DEFAULT_MAX_CONCURRENT_POWER_CALLS
        : wholeNumber(values['power-concurrency'], '--power-concurrency', 1, 1000),
  }),
);

const progress = (line: string): void => void process.stderr.write(`bench:sequence ${line}\n`);

/**
 * Sends `request` for every machine at once, then resolves when each machine's status is in `ended`
 * (the sequence the request started has ended, one way or the other).
 */
async function moveAll(
  events: EventFollower,
  fleet: readonly FleetMachine[],
  request: (m: FleetMachine) => Promise<unknown>,
  ended: ReadonlySet<string>,
  what: string,
): Promise<void> {
  await within(Promise.all(fleet.map(request)), 60_000, `${what} requests`);
  const allEnded = (): boolean => fleet.every((m) => ended.has(events.statusOf(m.machineId) ?? ''));
  await events.until(allEnded, Math.max(300_000, fleet.length * 6_000), `all ${fleet.length} ${what}s to end`);
}

/** Deploys every machine at once; resolves when each deploy has ended (DEPLOYED or FAILED_DEPLOYMENT). */
function deployAll(client: CoordinatorClient, events: EventFollower, fleet: readonly FleetMachine[]): Promise<void> {
  const deploy = (m: FleetMachine) => client.call('DeploymentService', 'DeployMachine', { machine: m.machineId, bootDevice: 'pxe' });
  return moveAll(events, fleet, deploy, ENDED, 'deploy');
}

/** The machines whose status is not `status`, as "hostname STATUS (why its last sequence failed)" for an error. */
function notIn(events: EventFollower, fleet: readonly FleetMachine[], status: string): string[] {
  return fleet
    .filter((m) => events.statusOf(m.machineId) !== status)
    .map((m) => {
      const failed = events.events.findLast((e) => e.machineId === m.machineId && e.kind === 'sequence.failed');
      return `${m.hostname} ${events.statusOf(m.machineId)}${failed ? ` (${failed.why})` : ''}`;
    });
}

/** A round before the measured one: every machine deployed, released (its own sequence) and allocated again. */
async function warmUpRound(client: CoordinatorClient, events: EventFollower, hosts: HostFleet): Promise<void> {
  const fleet = hosts.machines;
  await deployAll(client, events, fleet);
  const undeployed = notIn(events, fleet, 'DEPLOYED');
  if (undeployed.length > 0) throw new Error(`a round before the measured one did not deploy: ${undeployed.join(', ')}`);
  const release = (m: FleetMachine) =>
    client.call('MachineService', 'ReleaseMachine', { machine: m.machineId, reason: 'bench:sequence round' });
  await moveAll(events, fleet, release, RELEASE_ENDED, 'release');
  const unreleased = notIn(events, fleet, 'READY');
  if (unreleased.length > 0) throw new Error(`a round before the measured one did not release: ${unreleased.join(', ')}`);
  await boundedEach(fleet.length, 8, (i) => hosts.allocate(fleet[i]!.hostname, fleet[i]!.machineId));
}

/** Each machine's chassis calls so far, so that a later round's can be told apart. */
async function chassisMarks(fleet: readonly FleetMachine[]): Promise<number[]> {
  return Promise.all(fleet.map(async (m) => (await m.host.bmc.sets()).length));
}

/**
 * Chassis calls (those after `marks`, the round's), power and br-int of each machine as a BIOS-halt
 * deploy leaves them; returns the problems.
 */
async function verify(fleet: readonly FleetMachine[], marks: readonly number[]): Promise<string[]> {
  const problems: string[] = [];
  await boundedEach(fleet.length, 8, async (i) => {
    const { host, hostname } = fleet[i]!;
    const sets = (await host.bmc.sets()).slice(marks[i]);
    if (sets.join(',') !== EXPECTED_CHASSIS.join(',')) problems.push(`${hostname}: chassis calls ${JSON.stringify(sets)}`);
    if ((await host.bmc.power()) !== 'on') problems.push(`${hostname}: left powered off`);
    const ports = await host.ovs.vsctl('list-ports', 'br-int');
    if (ports !== PORT_ID) problems.push(`${hostname}: br-int ports ${JSON.stringify(ports)}`);
  });
  return problems;
}

async function main(run: BenchRun): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mooring-bench-sequence-'));
  const sampler = new SystemSampler();
  let coordinator: CoordinatorProcess | undefined;
  let client: CoordinatorClient | undefined;
  let follower: EventFollower | undefined;
  let fleet: HostFleet | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      sampler.stop();
      await follower?.close().catch(() => undefined);
      client?.close();
      await fleet?.stopAll(16, 120_000).catch((err: unknown) => progress(`cleanup: ${err instanceof Error ? err.message : String(err)}`));
      // The agents' data dirs are under <dir>/<hostname>/ (the coordinator's is <dir>/coordinator).
      const stragglers = killStragglers(path.join(dir, HOSTNAME_PREFIX));
      if (stragglers.length > 0) progress(`cleanup: killed ${stragglers.length} agent processes the harness had lost track of`);
      // A clean exit writes the --profile CPU profile; give it time, then SIGKILL.
      if (coordinator) {
        await within(coordinator.kill('SIGTERM'), 60_000, 'coordinator exit').catch(async () => {
          progress('cleanup: the coordinator did not exit within 60 s of SIGTERM: SIGKILL (no CPU profile)');
          await coordinator!.kill('SIGKILL');
        });
      }
      await rm(dir, { recursive: true, force: true });
    })());
  run.onInterrupt(cleanup);

  try {
    // Sampled every 4 ms, not V8's 1 ms: each sample interrupts the thread, and at 1 ms the
    // profiler's own cost was a large part of the per-deploy CPU the run reports.
    const nodeArgs = values.profile ? ['--cpu-prof', '--cpu-prof-interval', '4000', '--cpu-prof-dir', path.resolve(values.profile)] : [];
    const ipmitoolStarts = await countIpmitoolStarts(path.join(dir, 'ipmitool-starts'));
    coordinator = await within(
      startCoordinatorProcess(path.join(dir, 'coordinator'), {
        logLevel: 'warn',
        nodeArgs,
        env: { ...process.env, PATH: `${ipmitoolStarts.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
        extraArgs: [
          ...(heartbeatIntervalMs === null ? [] : ['--heartbeat-interval-ms', String(heartbeatIntervalMs)]),
          '--agent-session-timeout-ms',
          '120000',
          '--port-active-timeout-ms',
          '60000',
          '--power-concurrency',
          String(powerConcurrency),
          // The periodic power sync (every 5 min by default) would ask every BMC in the middle of
          // a long run: its cost is not a deploy's. Off.
          '--power-sync-interval-ms',
          '0',
        ],
      }),
      30_000,
      'coordinator start',
    );
    client = new CoordinatorClient({ address: coordinator.address, caPem: coordinator.caPem, token: coordinator.adminToken });
    follower = new EventFollower(client);
    const events = follower;
    fleet = new HostFleet({ client, events, coordinator, dir, parallel, perHostTimeoutMs: 90_000, progress });

    progress(`setting up ${machines} machines, ${parallel} at a time (coordinator ${coordinator.address}, pid ${coordinator.pid})`);
    const setupStart = Date.now();
    await fleet.setUp(machines, Math.max(180_000, machines * 15_000));
    const setupSeconds = (Date.now() - setupStart) / 1000;

    const fleetMachines = fleet.machines;
    const ids = new Set(fleetMachines.map((m) => m.machineId));
    // From here on every process this one starts (the agents booting with host power) inherits
    // the nice value, and the BMCs and OVS daemons started during setup take it too. Set up at
    // normal priority: the harness gives an agent 15 s to start.
    const nice = hardwareNice;
    if (nice) {
      os.setPriority(nice);
      for (const pid of fleet.hardwarePids()) os.setPriority(pid, nice);
    }
    for (let round = 1; round < rounds; round++) {
      progress(`round ${round} of ${rounds}: deploying ${machines} machines, releasing them and allocating them again`);
      await warmUpRound(client, events, fleet);
    }
    const marks = await chassisMarks(fleetMachines);
    // Commissioning (or the round before) left a BMC session open per machine; a deploy is measured from none, as after
    // a quiet spell: wait until they have ended (80 s unused: 20 s idle and three keep-alives, see
    // ipmitool-sessions.ts; longer on a loaded machine) and the coordinator has no child.
    const quietBy = Date.now() + QUIET_BOUND_MS;
    while (startedProcesses(coordinator.pid).length > 0) {
      if (Date.now() > quietBy) throw new Error(`the coordinator still has child processes ${QUIET_BOUND_MS / 1000} s after setup`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // The coordinator's CPU with nothing to do, over a few seconds of the quiet spell: what every
    // second costs it anyway (its metrics' event-loop delay timer fires every 10 ms, the heartbeat
    // sweep), so the per-deploy figure can be told apart from the run's length.
    const idleStart = { cpu: cpuSeconds(coordinator.pid), main: mainThreadCpuSeconds(coordinator.pid), at: performance.now() };
    await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
    const idleSeconds = (performance.now() - idleStart.at) / 1000;
    const idleCpuMsPerSecond = ((cpuSeconds(coordinator.pid) - idleStart.cpu) * 1000) / idleSeconds;
    const idleMainThreadCpuMsPerSecond = ((mainThreadCpuSeconds(coordinator.pid) - idleStart.main) * 1000) / idleSeconds;
    progress(`deploying ${machines} machines at once${rounds > 1 ? ` (round ${rounds} of ${rounds}, measured)` : ''}`);
    if (!coordinator.metricsUrl) throw new Error('the coordinator serves no /metrics: the event-loop delay cannot be read');
    const endEventLoopWindow = await eventLoopDelayWindow(coordinator.metricsUrl);
    const startsBefore = await ipmitoolStarts.count();
    const writesBefore = await storeWrites(coordinator.metricsUrl);
    const cpuBefore = cpuSeconds(coordinator.pid);
    const mainCpuBefore = mainThreadCpuSeconds(coordinator.pid);
    const waitBefore = runQueueWaitSeconds(coordinator.pid);
    const threadsBefore = threadCpuSeconds(coordinator.pid);
    // The process launcher's own CPU (it forks the ipmitool sessions): a child, so not in the
    // coordinator's figure, reported beside it. It normally started during setup.
    const launcherBefore = launcherPid(coordinator.pid);
    const launcherCpuBefore = launcherBefore === null ? 0 : schedCpuSeconds(launcherBefore);
    const seqBefore = events.lastSeq();
    const firstRequestAt = Date.now();
    const windowStart = performance.now();
    await deployAll(client, events, fleetMachines);
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const coordinatorCpuSeconds = cpuSeconds(coordinator.pid) - cpuBefore;
    const coordinatorMainThreadCpuSeconds = mainThreadCpuSeconds(coordinator.pid) - mainCpuBefore;
    const coordinatorRunQueueWaitSeconds = runQueueWaitSeconds(coordinator.pid) - waitBefore;
    const launcherAfter = launcherPid(coordinator.pid);
    const launcherCpuSeconds =
      launcherAfter === null ? 0 : schedCpuSeconds(launcherAfter) - (launcherAfter === launcherBefore ? launcherCpuBefore : 0);
    const threadMs = [...threadCpuSeconds(coordinator.pid)].map(([tid, s]) => ({ tid, ms: (s - (threadsBefore.get(tid) ?? 0)) * 1000 }));
    const mainPid = coordinator.pid;
    const coordinatorThreadCpuMs = [
      threadMs.find((t) => t.tid === mainPid)?.ms ?? 0,
      ...threadMs
        .filter((t) => t.tid !== mainPid)
        .map((t) => t.ms)
        .sort((x, y) => y - x),
    ];
    const eventLoopP99Ms = await endEventLoopWindow();
    const writesDuring = (await storeWrites(coordinator.metricsUrl)) - writesBefore;
    const startsAfter = await ipmitoolStarts.count();
    const roundEvents = events.events.filter((e) => e.seq > seqBefore && ids.has(e.machineId));
    const timelines = deployTimelines(roundEvents);
    const totalMs = Math.max(...timelines.map((t) => t.endedAtMs)) - firstRequestAt;
    progress(
      `all deploys ended (${timelines.filter((t) => t.outcome === 'DEPLOYED').length} DEPLOYED) in ${(totalMs / 1000).toFixed(1)} ` +
        's; verifying chassis logs and br-int',
    );
    const verifyFailures = await within(verify(fleetMachines, marks), 120_000, 'verification');
    sampler.sample();
    let floor: FloorRun | null = null;
    if (!values['no-floor']) {
      const script = floorScript(roundEvents, firstRequestAt, {
        writesPerDeploy: writesDuring / machines,
        reportsPerSession: FLOOR_REPORTS_PER_SESSION,
      });
      progress(
        `the floor: replaying ${script.machines.length} deploys' transport and storage work over ${(script.spanMs / 1000).toFixed(1)} s`,
      );
      floor = await replayFloor(script, dir, rounds);
    }
    const floorLoad1m = os.loadavg()[0] ?? 0;

    const result = summarise(
      {
        machines,
        rounds,
        totalMs,
        setupSeconds,
        setupParallel: parallel,
        powerConcurrency,
        verified: machines - new Set(verifyFailures.map((f) => f.split(':')[0])).size,
        verifyFailures,
        harnessErrors: fleetMachines.flatMap((m) => m.host.errors.map((e) => `${m.hostname}: ${e}`)),
        coordinatorCpuSeconds,
        coordinatorMainThreadCpuSeconds,
        coordinatorThreadCpuMs,
        storeWrites: writesDuring,
        coordinatorIdleCpuMsPerSecond: idleCpuMsPerSecond,
        coordinatorIdleMainThreadCpuMsPerSecond: idleMainThreadCpuMsPerSecond,
        windowSeconds,
        coordinatorRunQueueWaitSeconds,
        launcherCpuSeconds,
        childProcesses: startsAfter.processes - startsBefore.processes,
        bmcSessions: startsAfter.ipmitools - startsBefore.ipmitools,
        longLivedSessions: startsAfter.sessions - startsBefore.sessions,
        eventLoopP99Ms,
        coordinatorPeakRssMB: peakRssMB(coordinator.pid),
        memBaselineAvailableMB: sampler.baselineAvailableMB,
        memMinAvailableMB: sampler.minAvailableMB,
        maxLoad1m: sampler.maxLoad1m,
        simulatedHardwareNice: nice,
        heartbeatIntervalMs: heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
        floor,
        floorLoad1m,
      },
      timelines,
    );
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${formatTable(result)}\n`);
    if (result.failed > 0 || result.deployed < machines || verifyFailures.length > 0) process.exitCode = 1;
  } finally {
    progress('stopping hosts and the coordinator');
    await cleanup();
  }
}

// Exits even if a child is still referenced: SimulatedHost.start leaks the OVS daemons it started
// when its ipmi_sim fails to start (Promise.all), and their handles would keep this process up;
// the harness's exit hooks (ovs.ts, ipmi-sim.ts) kill whatever is left.
runBench(BENCH, main);
