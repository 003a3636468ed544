// The figures for each fleet size, the targets (10000 agents under one core and 2 GiB;
// OFFLINE detected within 2 heartbeat intervals) and a table with one column per fleet size.

import os from 'node:os';
import type { GcSummary } from './gc-trace.js';

export const TARGETS = { cpuPercent: 100, rssMB: 2048, offlineIntervals: 2 } as const;

export interface Target {
  value: number;
  limit: string;
  met: boolean;
}

export interface FleetResult {
  agents: number;
  /** Coordinator CPU over the steady window, percent of one core. */
  cpuPercent: number;
  /** Coordinator VmRSS, the most sampled (1/s) over the steady window. */
  rssMB: number;
  rssAnonMB: number;
  /** SIGKILL of the probe agent's process -> its agent.offline event seen through WatchEvents (worst of --probes). */
  offlineDetectMs: number;
  offlineDetectSamplesMs: number[];
  /** The same, up to the time the coordinator put on the event (before commit, fsync and delivery). */
  offlineRecordedMs: number;
  offlineReason: string;
  /** SIGSTOP of the probe's process just after a heartbeat was acknowledged -> agent.offline. */
  silentOfflineDetectMs: number;
  silentOfflineDetectSamplesMs: number[];
  silentOfflineRecordedMs: number;
  silentOfflineReason: string;
  heartbeatIntervalMs: number;
  heartbeatDeadlineMs: number;
  heartbeatP50Ms: number;
  heartbeatP99Ms: number;
  heartbeatMaxMs: number;
  heartbeatsPerSec: number;
  /** Heartbeats written in the window and not acknowledged by its end (in flight at the end). */
  heartbeatsUnanswered: number;
  /** At the window's end, heartbeats unanswered for longer than one interval. */
  heartbeatsOverdue: number;
  windowSeconds: number;
  /** Agents enrolled and connected in this step (the fleet grows from the previous size). */
  added: number;
  /** CreateEnrollmentToken for each added agent. */
  tokenSeconds: number;
  enrollSeconds: number;
  enrollPerSec: number;
  /** Coordinator CPU while they enrolled / connected, percent of one core. */
  enrollCpuPercent: number;
  connectSeconds: number;
  connectPerSec: number;
  connectCpuPercent: number;
  /** ListAgents: agents in state ONLINE, and how long the call took. */
  online: number;
  listAgentsMs: number;
  /** ListAgents through a client with grpc-js defaults (as moorctl agent list). */
  listAgentsDefaultClient: string;
  /** Established TCP connections to the coordinator's port (agents + the benchmark's own). */
  tcpConnections: number;
  workersCpuPercent: number;
  sessionsLost: number;
  /** With --trace-gc: the coordinator's GC pauses during the window. */
  gcInWindow?: GcSummary;
  targets: Record<string, Target>;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  loadAvg1m: number;
}

export function machine(): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAvg1m: Number((os.loadavg()[0] ?? 0).toFixed(2)),
  };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function targets(r: Omit<FleetResult, 'targets'>): Record<string, Target> {
  const offlineLimit = TARGETS.offlineIntervals * r.heartbeatIntervalMs;
  return {
    cpuPercent: { value: r.cpuPercent, limit: `< ${TARGETS.cpuPercent}`, met: r.cpuPercent < TARGETS.cpuPercent },
    rssMB: { value: r.rssMB, limit: `< ${TARGETS.rssMB}`, met: r.rssMB < TARGETS.rssMB },
    offlineDetectMs: { value: r.offlineDetectMs, limit: `<= ${offlineLimit}`, met: r.offlineDetectMs <= offlineLimit },
    silentOfflineDetectMs: { value: r.silentOfflineDetectMs, limit: `<= ${offlineLimit}`, met: r.silentOfflineDetectMs <= offlineLimit },
  };
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

const f = (v: number, digits = 1): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

export function formatTable(results: readonly FleetResult[], m: Machine): string {
  const col = (label: string, cell: (r: FleetResult) => string): string[] => [label, ...results.map(cell)];
  const first = results[0];
  const rows = [
    col('agents', (r) => String(r.agents)),
    col('coordinator CPU, % of one core', (r) => f(r.cpuPercent)),
    col('coordinator RSS, MB (max in window)', (r) => f(r.rssMB, 0)),
    col('  of which anonymous, MB', (r) => f(r.rssAnonMB, 0)),
    col('heartbeats/s handled', (r) => f(r.heartbeatsPerSec, 0)),
    col('heartbeat -> ack p50, ms', (r) => f(r.heartbeatP50Ms, 2)),
    col('heartbeat -> ack p99, ms', (r) => f(r.heartbeatP99Ms, 2)),
    col('heartbeat -> ack max, ms', (r) => f(r.heartbeatMaxMs, 1)),
    col('heartbeats unanswered for > 1 interval', (r) => String(r.heartbeatsOverdue)),
    col('OFFLINE after SIGKILL, ms (recorded at)', (r) => `${f(r.offlineDetectMs, 0)} (${f(r.offlineRecordedMs, 0)})`),
    col('OFFLINE after SIGSTOP, ms (recorded at)', (r) => `${f(r.silentOfflineDetectMs, 0)} (${f(r.silentOfflineRecordedMs, 0)})`),
    col('agents added in this step', (r) => String(r.added)),
    col('  enroll, s (agents/s)', (r) => `${f(r.enrollSeconds)} (${f(r.enrollPerSec, 0)})`),
    col('  coordinator CPU while enrolling, %', (r) => f(r.enrollCpuPercent, 0)),
    col('  connect, s (sessions/s)', (r) => `${f(r.connectSeconds)} (${f(r.connectPerSec, 0)})`),
    col('  coordinator CPU while connecting, %', (r) => f(r.connectCpuPercent, 0)),
    col('ListAgents ONLINE', (r) => String(r.online)),
    col('ListAgents, ms', (r) => f(r.listAgentsMs, 0)),
    col('TCP connections to the coordinator', (r) => String(r.tcpConnections)),
    col('agent workers CPU, % of one core', (r) => f(r.workersCpuPercent)),
    col('sessions lost', (r) => String(r.sessionsLost)),
    ...(results.some((r) => r.gcInWindow)
      ? [
          col('coordinator GC pauses in window (full)', (r) =>
            r.gcInWindow ? `${r.gcInWindow.pauses} (${r.gcInWindow.fullCollections})` : '-',
          ),
          col('  max / total GC pause, ms', (r) =>
            r.gcInWindow ? `${f(r.gcInWindow.maxPauseMs)} / ${f(r.gcInWindow.totalPauseMs, 0)}` : '-',
          ),
        ]
      : []),
  ];
  const targetLines = results.flatMap((r) =>
    Object.entries(r.targets).map(
      ([k, t]) => `  ${t.met ? 'met   ' : 'MISSED'} ${String(r.agents).padStart(5)} agents: ${k} = ${f(t.value, 1)} (target ${t.limit})`,
    ),
  );
  const notes = results.flatMap((r) => [
    `  ${r.agents} agents: SIGKILL -> "${r.offlineReason}"; SIGSTOP -> "${r.silentOfflineReason}"`,
    `  ${r.agents} agents: OFFLINE samples, ms: SIGKILL ${r.offlineDetectSamplesMs.join(' ')}; SIGSTOP ` +
      `${r.silentOfflineDetectSamplesMs.join(' ')}`,
    `  ${r.agents} agents: ListAgents with grpc-js defaults: ${r.listAgentsDefaultClient}`,
  ]);
  return [
    'Agent fleet: simulated agents (own mTLS certificate and connection each) heartbeating every ' +
      `${first?.heartbeatIntervalMs ?? '-'} ms; ` +
      `coordinator OFFLINE deadline ${first?.heartbeatDeadlineMs ?? '-'} ms; steady window ${first?.windowSeconds ?? '-'} s`,
    `machine: ${m.cpus} x ${m.cpuModel}, node ${m.node}, load average ${m.loadAvg1m} at the end`,
    '',
    pad(rows),
    '',
    'targets (10000 agents under one core and 2 GiB; OFFLINE within 2 heartbeat intervals):',
    ...targetLines,
    '',
    'notes:',
    ...notes,
  ].join('\n');
}
