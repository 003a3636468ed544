// Prometheus metrics of one agent, in their own Registry (never prom-client's global one, so two
// agents in one test process do not collide). Counters and histograms are recorded by the
// components through the small methods below; gauges describing current state (session and OVSDB
// state, epoch, readiness, port counts) are computed from the StatusBoard at scrape time, so
// they can never disagree with /status.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SriovPfReport__Output } from '../../../proto/generated/index.js';
import type { PortState } from '../ovs/port-spec.js';
import { collectProcessMetrics } from '../../../proto/shared/process-metrics.js';
import type { LinkState, OvsdbState, StatusBoard } from './status-board.js';

/** How a coordinator command ended. "duplicate": an already-applied id answered from the record. */
export type CommandResult = 'ok' | 'error' | 'timeout' | 'duplicate';
export type ReconnectPeer = 'coordinator' | 'ovsdb';
/**
 * Why the status endpoint turned a client away: a Host that does not name it, a cross-site
 * websocket Origin, a full /status/stream, or a waiting connection closed to make room.
 */
export type StatusRefusal = 'host' | 'origin' | 'stream_full' | 'evicted';

// Records keyed by every member make tsc fail here when a state is added to the union.
const LINK_STATES = Object.keys({ disabled: 1, enrolling: 1, connecting: 1, online: 1, backoff: 1, refused: 1 } satisfies Record<
  LinkState,
  1
>);
const OVSDB_STATES = Object.keys({ connecting: 1, connected: 1, backoff: 1, closed: 1 } satisfies Record<OvsdbState, 1>);
const PORT_STATES = Object.keys({ active: 1, pending: 1, error: 1 } satisfies Record<PortState, 1>);
/** SriovPfReport.eswitch_mode's values (sriov.proto). */
const ESWITCH_MODES = ['legacy', 'switchdev', 'unsupported', 'unknown'];

/** Seconds buckets from 0.5 ms to 10 s: OVSDB requests on a local socket take about a millisecond. */
const OVSDB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/**
 * How often the agent samples its event-loop delay (nodejs_eventloop_lag_*). Each sample wakes the
 * process, also when it has nothing to do: on a 2-vCPU VM the sampler alone cost an idle process
 * 9.4 ms of CPU a second at prom-client's 10 ms and 1.0 at 100 (README, Metrics). An agent
 * shares a smartNIC's few cores with the datapath's control plane, and its work is commands and
 * OVSDB updates taking milliseconds: stalls of 100 ms and more are always seen, shorter ones in
 * proportion to their length.
 */
const AGENT_EVENT_LOOP_RESOLUTION_MS = 100;
const COMMAND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface AgentMetricsOptions {
  /** Also export Node process metrics (CPU, RSS, event loop lag, GC); default false. */
  processMetrics?: boolean;
}

export class AgentMetrics {
  readonly registry = new Registry();
  private readonly commands: Counter<'kind' | 'result'>;
  private readonly commandSeconds: Histogram<'kind'>;
  private readonly reconnects: Counter<'peer'>;
  private readonly ovsdbSeconds: Histogram<'method'>;
  private readonly statusRefusals: Counter<'reason'>;
  private readonly sriovReconciles: Counter<'result'>;

  constructor(board: StatusBoard, options: AgentMetricsOptions = {}) {
    const registers = [this.registry];
    this.commands = new Counter({
      name: 'mooring_agent_commands_total',
      help: 'Coordinator commands finished, by kind and result',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.commandSeconds = new Histogram({
      name: 'mooring_agent_command_duration_seconds',
      help: 'Time from receiving a coordinator command to its result',
      labelNames: ['kind'],
      buckets: COMMAND_BUCKETS,
      registers,
    });
    this.reconnects = new Counter({
      name: 'mooring_agent_reconnects_total',
      help: 'Sessions re-established after a loss, by peer',
      labelNames: ['peer'],
      registers,
    });
    for (const peer of ['coordinator', 'ovsdb'] as const) this.reconnects.inc({ peer }, 0);
    this.ovsdbSeconds = new Histogram({
      name: 'mooring_agent_ovsdb_request_duration_seconds',
      help: 'OVSDB request latency (request to reply), by method',
      labelNames: ['method'],
      buckets: OVSDB_BUCKETS,
      registers,
    });

    this.statusRefusals = new Counter({
      name: 'mooring_agent_status_refused_total',
      help: 'Status endpoint requests and connections turned away, by reason (host, origin, stream_full, evicted)',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of ['host', 'origin', 'stream_full', 'evicted'] as const satisfies readonly StatusRefusal[])
      this.statusRefusals.inc({ reason }, 0);

    new Gauge({
      name: 'mooring_agent_info',
      help: 'Agent identity; always 1',
      labelNames: ['version', 'role', 'agent_id'],
      registers,
      collect(): void {
        const s = board.snapshot;
        this.reset();
        this.set({ version: s.version, role: s.role, agent_id: s.agentId ?? '' }, 1);
      },
    });
    new Gauge({
      name: 'mooring_agent_session_state',
      help: 'Coordinator session state: 1 for the current state, 0 for the others',
      labelNames: ['state'],
      registers,
      collect(): void {
        oneHot(this, LINK_STATES, board.snapshot.coordinator.state);
      },
    });
    new Gauge({
      name: 'mooring_agent_session_epoch',
      help: 'Epoch of the current or last coordinator session (0 before the first)',
      registers,
      collect(): void {
        this.set(board.snapshot.coordinator.epoch ?? 0);
      },
    });
    new Gauge({
      name: 'mooring_agent_coordinator_info',
      help: 'The coordinator the agent is connected to, or dialing when not online (1, labelled with its address)',
      labelNames: ['address'],
      registers,
      collect(): void {
        this.reset();
        const address = board.snapshot.coordinator.address;
        if (address !== null && board.snapshot.coordinator.state !== 'disabled') this.set({ address }, 1);
      },
    });
    new Gauge({
      name: 'mooring_agent_last_heartbeat_timestamp_seconds',
      help: 'Unix time of the last heartbeat the coordinator acknowledged (0 before the first)',
      registers,
      collect(): void {
        const at = board.snapshot.coordinator.lastHeartbeatAt;
        this.set(at === null ? 0 : Date.parse(at) / 1000);
      },
    });
    new Gauge({
      name: 'mooring_agent_ovsdb_state',
      help: 'OVSDB connection state: 1 for the current state, 0 for the others',
      labelNames: ['state'],
      registers,
      collect(): void {
        oneHot(this, OVSDB_STATES, board.snapshot.ovsdb.state);
      },
    });
    new Gauge({
      name: 'mooring_agent_ready',
      help: '1 while /readyz answers 200 (OVSDB connected and coordinator session online)',
      registers,
      collect(): void {
        this.set(board.readiness().ready ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mooring_agent_ports',
      help: 'Ports the agent owns on the integration bridge, by state',
      labelNames: ['state'],
      registers,
      collect(): void {
        const counts = new Map<string, number>(PORT_STATES.map((s) => [s, 0]));
        for (const p of board.snapshot.ports) if (p.owned) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
        this.reset();
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
    this.sriovReconciles = new Counter({
      name: 'mooring_agent_sriov_reconciles_total',
      help: 'SR-IOV reconciles (making the NIC match the desired state) finished, by result (ok, failed)',
      labelNames: ['result'],
      registers,
    });
    for (const result of ['ok', 'failed'] as const) this.sriovReconciles.inc({ result }, 0);
    this.sriovGauges(board, registers);
    if (options.processMetrics)
      collectProcessMetrics(this.registry, 'mooring_agent_', { eventLoopResolutionMs: AGENT_EVENT_LOOP_RESOLUTION_MS });
  }

  /** A coordinator command finished; durationMs (receipt to result) feeds the duration histogram. */
  commandFinished(kind: string, result: CommandResult, durationMs?: number): void {
    this.commands.inc({ kind, result });
    if (durationMs !== undefined) this.commandSeconds.observe({ kind }, durationMs / 1000);
  }

  /** One OVSDB request took ms (e.g. the time from transact to its reply). */
  ovsdbLatency(ms: number, method = 'transact'): void {
    this.ovsdbSeconds.observe({ method }, ms / 1000);
  }

  /** A session to the peer came back after being lost (not the first connection). */
  reconnected(peer: ReconnectPeer = 'coordinator'): void {
    this.reconnects.inc({ peer });
  }

  /** The status endpoint refused a request or closed a connection for this reason. */
  statusRefused(reason: StatusRefusal): void {
    this.statusRefusals.inc({ reason });
  }

  /** An SR-IOV reconcile finished; failed when any PF could not be made to match. */
  sriovReconciled(failed: boolean): void {
    this.sriovReconciles.inc({ result: failed ? 'failed' : 'ok' });
  }

  /** The SR-IOV figures of the last report on the board (none before the first report). */
  private sriovGauges(board: StatusBoard, registers: Registry[]): void {
    const pfs = (): readonly SriovPfReport__Output[] => board.snapshot.sriov?.pfs ?? [];
    new Gauge({
      name: 'mooring_agent_sriov_vfs',
      help: 'Virtual functions enabled on each SR-IOV PF (sriov_numvfs)',
      labelNames: ['pf'],
      registers,
      collect(): void {
        this.reset();
        for (const pf of pfs()) this.set({ pf: pf.netdev }, pf.numVfs);
      },
    });
    new Gauge({
      name: 'mooring_agent_sriov_vfs_limit',
      help: 'Virtual functions each SR-IOV PF supports at most (sriov_totalvfs)',
      labelNames: ['pf'],
      registers,
      collect(): void {
        this.reset();
        for (const pf of pfs()) this.set({ pf: pf.netdev }, pf.totalVfs);
      },
    });
    new Gauge({
      name: 'mooring_agent_sriov_eswitch_mode',
      help: "Each SR-IOV PF's eswitch mode: 1 for the current mode (legacy, switchdev, unsupported, unknown), 0 for the others",
      labelNames: ['pf', 'mode'],
      registers,
      collect(): void {
        this.reset();
        for (const pf of pfs()) {
          const current = pf.eswitchMode || 'unknown';
          for (const mode of ESWITCH_MODES) this.set({ pf: pf.netdev, mode }, mode === current ? 1 : 0);
          if (!ESWITCH_MODES.includes(current)) this.set({ pf: pf.netdev, mode: current }, 1);
        }
      },
    });
    new Gauge({
      name: 'mooring_agent_sriov_last_reconcile_failed',
      help: '1 while the last SR-IOV reconcile left an error (lastReconcileError in /status), else 0',
      registers,
      collect(): void {
        this.set(board.snapshot.sriov?.lastReconcileError ? 1 : 0);
      },
    });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function oneHot(g: Gauge<'state'>, states: readonly string[], current: string): void {
  g.reset();
  for (const state of states) g.set({ state }, state === current ? 1 : 0);
  if (!states.includes(current)) g.set({ state: current }, 1);
}
