// The simulated fleet: bulk workers holding all agents but one, round-robin, and a probe worker
// holding the probe agent alone, so the probe can be SIGKILLed (a crashed host: the kernel closes
// its TCP connection) or SIGSTOPped (a silent host: no FIN, no RST, no heartbeats) without touching
// anyone else. The probe's identity is enrolled once here and handed to each new probe worker, so a
// restarted probe reconnects as the same agent with the next epoch, like a restarted agent.

import { performance } from 'node:perf_hooks';
import type { CoordinatorView } from './coordinator-view.js';
import { CpuMeter } from './proc-stats.js';
import { Enroller, KeyPool, type AgentIdentity } from './identity.js';
import type { WindowStats, WorkerNotice } from './worker-protocol.js';
import { WorkerProcess } from './worker-process.js';

export const PROBE_AGENT = 'fleet-probe';

export interface FleetOptions {
  address: string;
  caPem: string;
  caFile: string;
  /** The coordinator's process, whose CPU use during enrollment and connection is reported. */
  coordinatorPid: number;
  workers: number;
  keyPool: number;
  view: CoordinatorView;
  log: (line: string) => void;
}

export interface GrowthTimes {
  added: number;
  tokenSeconds: number;
  enrollSeconds: number;
  /** Coordinator CPU while the agents enrolled, percent of one core. */
  enrollCpuPercent: number;
  connectSeconds: number;
  connectCpuPercent: number;
}

const TOKENS_IN_FLIGHT = 64;
const ENROLL_IN_FLIGHT_PER_WORKER = 8;
const CONNECT_IN_FLIGHT_PER_WORKER = 32;
const SESSION_WELCOME_TIMEOUT_MS = 60_000;

const agentName = (i: number): string => `fleet-${String(i).padStart(5, '0')}`;

export class Fleet {
  private probe: WorkerProcess | undefined;
  private bulkAgents = 0;
  private ackWaiter: (() => void) | undefined;
  private readonly enrollProgress = new Map<string, number>();
  private lastProgressLog = 0;
  /** Sessions of bulk agents that ended: each is a failure of the run. */
  readonly lost: string[] = [];

  private constructor(
    private readonly options: FleetOptions,
    private readonly bulk: readonly WorkerProcess[],
    private readonly probeIdentity: AgentIdentity,
  ) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const workers: WorkerProcess[] = [];
    let fleet: Fleet | undefined;
    const onNotice = (worker: string, notice: WorkerNotice): void => fleet?.notice(worker, notice);
    try {
      for (let w = 0; w < options.workers; w++) {
        workers.push(
          await WorkerProcess.start({
            name: `bulk-${w}`,
            address: options.address,
            caFile: options.caFile,
            keyPool: options.keyPool,
            reportAcks: false,
            onNotice,
          }),
        );
      }
      const [probeToken] = await options.view.createTokens([PROBE_AGENT], 1);
      const enroller = new Enroller(options.address, options.caPem, new KeyPool(1), 60_000);
      try {
        fleet = new Fleet(options, workers, await enroller.enroll(0, PROBE_AGENT, probeToken!.token));
      } finally {
        enroller.close();
      }
      return fleet;
    } catch (err) {
      await Promise.all(workers.map((w) => w.kill()));
      throw err;
    }
  }

  private notice(worker: string, notice: WorkerNotice): void {
    if (notice.kind === 'ack') {
      const waiter = this.ackWaiter;
      this.ackWaiter = undefined;
      waiter?.();
    } else if (notice.kind === 'enroll-progress') {
      this.enrollProgress.set(worker, notice.done);
      if (performance.now() - this.lastProgressLog < 20_000) return;
      this.lastProgressLog = performance.now();
      const done = [...this.enrollProgress.values()].reduce((a, b) => a + b, 0);
      this.options.log(`bench:fleet   ${done} enrolled so far`);
    } else if (worker !== 'probe') {
      this.lost.push(`${notice.agentId}: ${notice.why}`);
    }
  }

  /** All agents, the probe included (when it is connected). */
  get size(): number {
    return this.bulkAgents + 1;
  }

  /** Enrolls and connects bulk agents until the fleet, probe included, is `agents` strong. */
  async grow(agents: number): Promise<GrowthTimes> {
    const from = this.bulkAgents;
    const to = agents - 1;
    const added = Math.max(0, to - from);
    const names = Array.from({ length: added }, (_, i) => agentName(from + i + 1));
    const { log } = this.options;

    let started = performance.now();
    const tokens = await this.options.view.createTokens(names, TOKENS_IN_FLIGHT);
    const tokenSeconds = (performance.now() - started) / 1000;
    log(`bench:fleet ${added} enrollment tokens in ${tokenSeconds.toFixed(1)} s`);

    started = performance.now();
    let cpu = new CpuMeter([this.options.coordinatorPid]);
    this.enrollProgress.clear();
    this.lastProgressLog = performance.now();
    const shares = this.bulk.map((_, w) => tokens.filter((_t, i) => (from + i) % this.bulk.length === w));
    // Enrollment is bound by the coordinator's signing (~25 ms of CPU each): allow 150 ms each.
    const enrollTimeout = 60_000 + added * 150;
    const enrolled = await Promise.all(
      this.bulk.map((w, i) => w.request('enroll', { agents: shares[i]!, inFlight: ENROLL_IN_FLIGHT_PER_WORKER }, enrollTimeout)),
    );
    const enrollSeconds = (performance.now() - started) / 1000;
    const enrollCpuPercent = cpu.percent();
    const enrollFailures = enrolled.flatMap((e) => e.failed);
    if (enrollFailures.length > 0) throw new Error(`${enrollFailures.length} enrollments failed, first: ${enrollFailures[0]}`);
    log(
      `bench:fleet enrolled ${added} agents in ${enrollSeconds.toFixed(1)} s (${(added / enrollSeconds).toFixed(0)}/s, coordinator ` +
        `CPU ${enrollCpuPercent.toFixed(0)}%)`,
    );

    started = performance.now();
    cpu = new CpuMeter([this.options.coordinatorPid]);
    // About 100 sessions/s here at a load average of 5; allow 20/s (at 50 to 70 it fell below 40/s).
    const connectTimeout = SESSION_WELCOME_TIMEOUT_MS + added * 50;
    const connected = await Promise.all(
      this.bulk.map((w) =>
        w.request('connect', { inFlight: CONNECT_IN_FLIGHT_PER_WORKER, timeoutMs: SESSION_WELCOME_TIMEOUT_MS }, connectTimeout),
      ),
    );
    const connectSeconds = (performance.now() - started) / 1000;
    const connectCpuPercent = cpu.percent();
    const connectFailures = connected.flatMap((c) => c.failed);
    if (connectFailures.length > 0) throw new Error(`${connectFailures.length} sessions failed to open, first: ${connectFailures[0]}`);
    const online = connected.reduce((n, c) => n + c.online, 0);
    this.bulkAgents = to > from ? to : from;
    if (online !== this.bulkAgents) throw new Error(`bulk workers hold ${online} online sessions, expected ${this.bulkAgents}`);
    log(
      `bench:fleet connected ${added} sessions in ${connectSeconds.toFixed(1)} s (${(added / connectSeconds).toFixed(0)}/s, ` +
        `coordinator CPU ${connectCpuPercent.toFixed(0)}%)`,
    );
    return { added, tokenSeconds, enrollSeconds, enrollCpuPercent, connectSeconds, connectCpuPercent };
  }

  /** A new probe worker whose one agent (the probe identity) opens its session. */
  async startProbe(): Promise<void> {
    if (this.probe) throw new Error('the probe worker is still running');
    const probe = await WorkerProcess.start({
      name: 'probe',
      address: this.options.address,
      caFile: this.options.caFile,
      keyPool: 1,
      reportAcks: true,
      onNotice: (worker, notice) => this.notice(worker, notice),
    });
    this.probe = probe;
    await probe.request('adopt', { identity: this.probeIdentity }, 10_000);
    const { failed } = await probe.request(
      'connect',
      { inFlight: 1, timeoutMs: SESSION_WELCOME_TIMEOUT_MS },
      SESSION_WELCOME_TIMEOUT_MS + 5000,
    );
    if (failed.length > 0) throw new Error(`the probe agent could not open its session: ${failed[0]}`);
  }

  /** Resolves just after the probe's next heartbeat has been acknowledged. */
  nextProbeAck(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.ackWaiter = undefined;
        reject(new Error(`no heartbeat acknowledgement for the probe within ${timeoutMs} ms`));
      }, timeoutMs);
      this.ackWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Sends `signal` to the probe worker; returns Date.now() just before the signal. */
  signalProbe(signal: 'SIGKILL' | 'SIGSTOP'): number {
    if (!this.probe) throw new Error('no probe worker is running');
    const at = Date.now();
    this.probe.signal(signal);
    return at;
  }

  /** SIGKILLs the probe worker (stopped or not) and waits for it to be gone. */
  async removeProbe(): Promise<void> {
    const probe = this.probe;
    this.probe = undefined;
    await probe?.kill();
  }

  pids(): number[] {
    return this.workers().map((w) => w.pid);
  }

  async windowStart(): Promise<void> {
    await Promise.all(this.workers().map((w) => w.request('windowStart', {}, 10_000)));
  }

  async windowStop(): Promise<WindowStats> {
    const stats = await Promise.all(this.workers().map((w) => w.request('windowStop', {}, 30_000)));
    const rtt = new Float64Array(stats.reduce((n, s) => n + s.rttMs.length, 0));
    let offset = 0;
    for (const s of stats) {
      rtt.set(s.rttMs, offset);
      offset += s.rttMs.length;
    }
    const sum = (k: 'sent' | 'acked' | 'overdue'): number => stats.reduce((n, s) => n + s[k], 0);
    return { rttMs: rtt, sent: sum('sent'), acked: sum('acked'), overdue: sum('overdue') };
  }

  /** Closes every session and ends every worker (SIGKILL for any that does not end in time). */
  async close(): Promise<void> {
    await this.removeProbe();
    await Promise.all(this.bulk.map((w) => w.stop(30_000)));
  }

  private workers(): WorkerProcess[] {
    return [...this.bulk, ...(this.probe ? [this.probe] : [])];
  }
}
