// Prometheus metrics of one coordinator, in their own Registry (never prom-client's global one, so
// two coordinators in one test process do not collide). Counters and histograms are recorded where
// the thing happens (a gRPC call ends, a power driver answers, a store write commits, a sequence
// step is recorded); gauges describing current state (machines by status, agents by state) are
// computed from the store at scrape time, so they can never disagree with `moorctl`.
import * as grpc from '@grpc/grpc-js';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AGENT_ROLES } from '../agents/enrollment-tokens.js';
import type { AgentRecord, AgentState } from '../agents/agent-registry.js';
import type { CoordinatorEvent, EventLog } from '../events/event-log.js';
import { MACHINE_STATUSES, type MachineStatus } from '../machines/machine.js';
import { STEPS, type SequenceKind } from '../sequencer/sequence.js';
import { collectProcessMetrics } from '../../../proto/shared/process-metrics.js';
import type { PowerOperation } from '../power/power-driver.js';
import type { StoreBackend } from '../store/store-backend.js';

/**
 * How often the coordinator samples its event-loop delay (nodejs_eventloop_lag_*): every 10 ms,
 * prom-client's default, so that no stall of 10 ms or more goes unseen; bench:sequence and
 * bench:alloc read their event-loop figures from it.
 */
export const COORDINATOR_EVENT_LOOP_RESOLUTION_MS = 10;

/** What the scrape-time gauges read. */
export interface MetricSources {
  countMachines(status: MachineStatus): number;
  agents(): readonly AgentRecord[];
}

export interface CoordinatorMetricsOptions {
  /** Also export Node process metrics (CPU, RSS, event-loop lag, GC); default false (the daemon sets it). */
  readonly processMetrics?: boolean;
}

/** A power driver call's operation, as the PowerDriver interface names it. */

// Records keyed by every member make tsc fail here when a state or kind is added to the union.
const AGENT_STATES = Object.keys({ NEVER_CONNECTED: 1, ONLINE: 1, OFFLINE: 1 } satisfies Record<AgentState, 1>);
const SEQUENCE_KINDS = Object.keys({ deploy: 1, release: 1, bind: 1, unbind: 1 } satisfies Record<SequenceKind, 1>);
/** Revoked agents keep their last state in the record; they are counted apart. */
const REVOKED = 'REVOKED';

/** gRPC status codes by number, named as grpc-go and grpcurl print them (OK, NOT_FOUND, ...). */
const CODE_NAMES = new Map<number, string>(
  Object.entries(grpc.status)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name]),
);

/** Seconds from 1 ms to 60 s: most calls are answered from memory, deploys wait on BMCs. */
const RPC_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** BMCs answer in a few hundred ms to tens of seconds (an IPMI retry, a Redfish reset). */
const POWER_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];
/** A step is a power call or a wait for agents and ports: up to the sequencer's timeouts (minutes). */
const STEP_BUCKETS = [0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200];
/** A durable LMDB commit is an fsync: a millisecond on flash, more on a loaded disk. */
const COMMIT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Writes per transaction: 1 on a quiet store; up to the callers in flight under load (etcd's --max-txn-ops caps a Txn at 128). */
const TRANSACTION_WRITES_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128];

function rpcLabels(path: string, code: grpc.status): { service: string; method: string; code: string } {
  const [, qualified = '', method = ''] = path.split('/');
  return { service: qualified, method, code: CODE_NAMES.get(code) ?? String(code) };
}

/** A count and a latency histogram of API calls by service, method and status code. */
class RpcSeries {
  private readonly calls: Counter<'service' | 'method' | 'code'>;
  private readonly seconds: Histogram<'service' | 'method' | 'code'>;

  constructor(registers: Registry[], names: { name: string; help: string; secondsName: string; secondsHelp: string }) {
    const labelNames = ['service', 'method', 'code'] as const;
    this.calls = new Counter({ name: names.name, help: names.help, labelNames, registers });
    this.seconds = new Histogram({ name: names.secondsName, help: names.secondsHelp, labelNames, buckets: RPC_BUCKETS, registers });
  }

  finished(path: string, code: grpc.status, seconds: number): void {
    const labels = rpcLabels(path, code);
    this.calls.inc(labels);
    this.seconds.observe(labels, seconds);
  }
}

export class CoordinatorMetrics {
  readonly registry = new Registry();
  private readonly rpcs: RpcSeries;
  private readonly consoleRpcs: RpcSeries;
  private readonly powerCalls: Counter<'driver' | 'operation' | 'result'>;
  private readonly powerSeconds: Histogram<'driver' | 'operation'>;
  private readonly stepSeconds: Histogram<'kind' | 'step' | 'result'>;
  private readonly commitSeconds: Histogram<'result'>;
  private readonly writeReruns: Counter;
  private readonly prunedEvents: Counter;
  private readonly transactionWrites: Histogram;
  private unsubscribe: (() => void)[] = [];

  constructor(sources: MetricSources, options: CoordinatorMetricsOptions = {}) {
    const registers = [this.registry];
    this.rpcs = new RpcSeries(registers, {
      name: 'mooring_coordinator_grpc_server_handled_total',
      help: 'gRPC calls finished, by service, method and status code (refusals before the handler included)',
      secondsName: 'mooring_coordinator_grpc_server_handling_seconds',
      secondsHelp: 'Time from a gRPC call arriving to its status, by service, method and status code (streams: their whole life)',
    });
    // The console's /api/rpc calls run the same handlers; separate series with the same labels keep
    // the gRPC ones meaning gRPC (sum both for every API call).
    this.consoleRpcs = new RpcSeries(registers, {
      name: 'mooring_coordinator_console_rpc_handled_total',
      help: 'API calls made through the web console (/api/rpc) finished, by service, method and status code',
      secondsName: 'mooring_coordinator_console_rpc_handling_seconds',
      secondsHelp: 'Time from a console API call (/api/rpc) arriving at its method to its status, by service, method and status code',
    });
    this.powerCalls = new Counter({
      name: 'mooring_coordinator_power_calls_total',
      help: 'Power driver calls finished, by driver, operation and result (ok, failed)',
      labelNames: ['driver', 'operation', 'result'],
      registers,
    });
    this.powerSeconds = new Histogram({
      name: 'mooring_coordinator_power_call_duration_seconds',
      help: 'Power driver call latency (including the wait for a free slot), by driver and operation',
      labelNames: ['driver', 'operation'],
      buckets: POWER_BUCKETS,
      registers,
    });
    this.stepSeconds = new Histogram({
      name: 'mooring_coordinator_sequence_step_duration_seconds',
      help: 'BIOS-halt sequence step durations, by sequence kind, step and result (ok, failed)',
      labelNames: ['kind', 'step', 'result'],
      buckets: STEP_BUCKETS,
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'mooring_coordinator_store_commit_duration_seconds',
      help: 'Store writes from the start of the transaction to its durable (fsynced) commit, by result (ok, failed)',
      labelNames: ['result'],
      buckets: COMMIT_BUCKETS,
      registers,
    });
    this.transactionWrites = new Histogram({
      name: 'mooring_coordinator_store_transaction_writes',
      help: 'Writes carried by each durably committed store transaction (an LMDB group commit, an etcd Txn): concurrent writers share them',
      buckets: TRANSACTION_WRITES_BUCKETS,
      registers,
    });
    this.writeReruns = new Counter({
      name: 'mooring_coordinator_store_write_reruns_total',
      help: "Store writes run again because another coordinator's commit conflicted with what they read (etcd; 0 on LMDB)",
      registers,
    });

    this.prunedEvents = new Counter({
      name: 'mooring_coordinator_events_pruned_total',
      help: 'Events this coordinator removed from the event log as the retention holds (--event-retention-days, --event-retention-max)',
      registers,
    });

    new Gauge({
      name: 'mooring_coordinator_machines',
      help: 'Machines by status',
      labelNames: ['status'],
      registers,
      collect(): void {
        for (const status of MACHINE_STATUSES) this.set({ status }, sources.countMachines(status));
      },
    });
    new Gauge({
      name: 'mooring_coordinator_agents',
      help: 'Enrolled agents by role and session state (NEVER_CONNECTED, ONLINE, OFFLINE; REVOKED for revoked ones)',
      labelNames: ['role', 'state'],
      registers,
      collect(): void {
        const counts = new Map<string, number>();
        const key = (role: string, state: string): string => `${role}\n${state}`;
        for (const role of AGENT_ROLES) for (const state of [...AGENT_STATES, REVOKED]) counts.set(key(role, state), 0);
        for (const agent of sources.agents()) {
          const k = key(agent.role, agent.revokedAt === null ? agent.state : REVOKED);
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        this.reset();
        for (const [k, n] of counts) {
          const [role = '', state = ''] = k.split('\n');
          this.set({ role, state }, n);
        }
      },
    });
    if (options.processMetrics)
      collectProcessMetrics(this.registry, 'mooring_coordinator_', { eventLoopResolutionMs: COORDINATOR_EVENT_LOOP_RESOLUTION_MS });
  }

  /**
   * Starts deriving step durations from the sequencer's `sequence.step` events (each carries its
   * step, the sequence kind and durationMs), so the sequencer needs no hook of its own, and
   * timing the store's commits and counting the writes of its transactions.
   */
  follow(events: EventLog, store: Pick<StoreBackend, 'onCommitTimed' | 'onTransactionCommitted'>): void {
    this.stop();
    this.unsubscribe = [
      events.subscribe((event) => this.sequenceEvent(event)),
      store.onCommitTimed((failed, seconds, reruns) => this.storeCommit(failed, seconds, reruns)),
      store.onTransactionCommitted((writes) => this.transactionWrites.observe(writes)),
    ];
  }

  /** Stops what follow() started. */
  stop(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
  }

  /**
   * A gRPC call ended with `code` after `seconds`. `path` is /package.Service/Method; grpc-js runs
   * interceptors only for registered methods, so the label values are bounded by the API.
   */
  rpcFinished(path: string, code: grpc.status, seconds: number): void {
    this.rpcs.finished(path, code, seconds);
  }

  /** A console API call of the method at `path` ended with `code` after `seconds` (labels as rpcFinished). */
  consoleRpcFinished(path: string, code: grpc.status, seconds: number): void {
    this.consoleRpcs.finished(path, code, seconds);
  }

  /** A power driver call ended (failed: it threw, timed out or was cancelled). */
  powerCall(driver: string, operation: PowerOperation, failed: boolean, seconds: number): void {
    this.powerCalls.inc({ driver, operation, result: failed ? 'failed' : 'ok' });
    this.powerSeconds.observe({ driver, operation }, seconds);
  }

  /** A store write committed durably (or failed to) after `seconds`, run again `reruns` times after conflicts. */
  private storeCommit(failed: boolean, seconds: number, reruns: number): void {
    this.commitSeconds.observe({ result: failed ? 'failed' : 'ok' }, seconds);
    if (reruns > 0) this.writeReruns.inc(reruns);
  }

  /** The event retention removed `count` events. */
  eventsPruned(count: number): void {
    this.prunedEvents.inc(count);
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private sequenceEvent(event: CoordinatorEvent): void {
    if (event.kind !== 'sequence.step' && event.kind !== 'sequence.step-failed') return;
    const { step = '', sequenceKind = '', durationMs = '' } = event.details;
    const ms = Number(durationMs);
    // Only known steps and kinds become label values; a malformed event is not a new series.
    if (!(STEPS as readonly string[]).includes(step) || !SEQUENCE_KINDS.includes(sequenceKind) || !Number.isFinite(ms) || ms < 0) return;
    this.stepSeconds.observe({ kind: sequenceKind, step, result: event.kind === 'sequence.step' ? 'ok' : 'failed' }, ms / 1000);
  }
}
