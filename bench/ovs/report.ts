// Turns the samples into the figures: ms per port, batch totals, every ratio, the targets
// (agent <= 1.15x the reference client and faster than ovsdbapp per port, batch <= 1.25x the
// reference batch, agent RSS < 80 MB), the contenders' CPU per port beside their wall times, as one
// JSON object or a readable table.

import os from 'node:os';
import type { ContenderId } from './contenders.js';

export const TARGETS = { agentVsRaw: 1.15, batchVsRawBatch: 1.25, agentRssMB: 80 } as const;

/** What run.ts collects. */
export interface Samples {
  ports: number;
  /** Whether a busy loop ran on one core throughout (--busy-core). */
  busyCore: boolean;
  /** Total timed ms over all rounds, per contender. */
  perPortMs: Record<ContenderId, number>;
  /** Total CPU ms of the contender's process over all rounds (undefined for ovs-vsctl). */
  perPortCpuMs: Record<ContenderId, number | undefined>;
  /** ms per port of each round, per contender (shows the growth with the bridge). */
  rounds: Record<ContenderId, number[]>;
  rssMB: Record<ContenderId, number | undefined>;
  /** ms of each batch run. */
  batchMs: { agent: number[]; raw: number[] };
  /** CPU ms of the binding process in each batch run. */
  batchCpuMs: { agent: number[]; raw: number[] };
  batchRssMB: number[];
}

export interface BenchResult {
  ports: number;
  busyCore: boolean;
  agentMsPerPort: number;
  rawMsPerPort: number;
  ovsdbappMsPerPort: number;
  ovsVsctlMsPerPort: number;
  /** CPU ms per port of the agent's process (/proc/PID/stat), one transaction per port. */
  agentCpuMsPerPort: number;
  rawCpuMsPerPort: number;
  ovsdbappCpuMsPerPort: number;
  /** Median of the batch runs. */
  batchMsTotal: number;
  rawBatchMsTotal: number;
  /** Median over the batch runs of the binding process's CPU ms, divided by the ports. */
  batchAgentCpuMsPerPort: number;
  rawBatchCpuMsPerPort: number;
  agentRssMB: number;
  agentBatchRssMB: number;
  rawRssMB: number;
  ovsdbappRssMB: number;
  ratios: Record<string, number>;
  targets: Record<string, { value: number; limit: string; met: boolean }>;
  rounds: Record<ContenderId, number[]>;
  batchRuns: { agentMs: number[]; rawMs: number[]; agentCpuMs: number[]; rawCpuMs: number[] };
  machine: { cpus: number; cpuModel: string; node: string; loadAvg1m: number };
}

const round = (v: number, digits: number): number => Number(v.toFixed(digits));

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarise(s: Samples): BenchResult {
  const n = s.ports;
  const agent = s.perPortMs.agent / n;
  const raw = s.perPortMs.raw / n;
  const ovsdbapp = s.perPortMs.ovsdbapp / n;
  const vsctl = s.perPortMs.ovsVsctl / n;
  const batch = median(s.batchMs.agent);
  const rawBatch = median(s.batchMs.raw);
  const rss = s.rssMB.agent ?? NaN;
  const cpu = (id: ContenderId): number => (s.perPortCpuMs[id] ?? NaN) / n;
  const batchCpu = median(s.batchCpuMs.agent) / n;
  const rawBatchCpu = median(s.batchCpuMs.raw) / n;
  const ratios = {
    'agent/raw': agent / raw,
    'agent/ovsdbapp': agent / ovsdbapp,
    'agent/ovs-vsctl': agent / vsctl,
    'ovsdbapp/raw': ovsdbapp / raw,
    'ovs-vsctl/raw': vsctl / raw,
    'ovs-vsctl/ovsdbapp': vsctl / ovsdbapp,
    'batch/rawBatch': batch / rawBatch,
    'raw per port/rawBatch per port': raw / (rawBatch / n),
    'agent per port/batch per port': agent / (batch / n),
    'agent CPU/raw CPU': cpu('agent') / cpu('raw'),
    'batch CPU/rawBatch CPU': batchCpu / rawBatchCpu,
  };
  return {
    ports: n,
    busyCore: s.busyCore,
    agentMsPerPort: round(agent, 3),
    rawMsPerPort: round(raw, 3),
    ovsdbappMsPerPort: round(ovsdbapp, 3),
    ovsVsctlMsPerPort: round(vsctl, 3),
    agentCpuMsPerPort: round(cpu('agent'), 3),
    rawCpuMsPerPort: round(cpu('raw'), 3),
    ovsdbappCpuMsPerPort: round(cpu('ovsdbapp'), 3),
    batchMsTotal: round(batch, 1),
    rawBatchMsTotal: round(rawBatch, 1),
    batchAgentCpuMsPerPort: round(batchCpu, 3),
    rawBatchCpuMsPerPort: round(rawBatchCpu, 3),
    agentRssMB: round(rss, 1),
    agentBatchRssMB: round(Math.max(...s.batchRssMB), 1),
    rawRssMB: round(s.rssMB.raw ?? NaN, 1),
    ovsdbappRssMB: round(s.rssMB.ovsdbapp ?? NaN, 1),
    ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, round(v, 3)])),
    targets: {
      'agent/raw': {
        value: round(ratios['agent/raw'], 3),
        limit: `<= ${TARGETS.agentVsRaw}`,
        met: ratios['agent/raw'] <= TARGETS.agentVsRaw,
      },
      'agent/ovsdbapp': { value: round(ratios['agent/ovsdbapp'], 3), limit: '< 1', met: ratios['agent/ovsdbapp'] < 1 },
      'batch/rawBatch': {
        value: round(ratios['batch/rawBatch'], 3),
        limit: `<= ${TARGETS.batchVsRawBatch}`,
        met: ratios['batch/rawBatch'] <= TARGETS.batchVsRawBatch,
      },
      agentRssMB: { value: round(rss, 1), limit: `< ${TARGETS.agentRssMB}`, met: rss < TARGETS.agentRssMB },
    },
    rounds: Object.fromEntries(Object.entries(s.rounds).map(([k, v]) => [k, v.map((x) => round(x, 3))])) as Record<ContenderId, number[]>,
    batchRuns: {
      agentMs: s.batchMs.agent.map((x) => round(x, 1)),
      rawMs: s.batchMs.raw.map((x) => round(x, 1)),
      agentCpuMs: s.batchCpuMs.agent.map((x) => round(x, 0)),
      rawCpuMs: s.batchCpuMs.raw.map((x) => round(x, 0)),
    },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAvg1m: round(os.loadavg()[0] ?? 0, 2),
    },
  };
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

export function formatTable(r: BenchResult): string {
  const first = (id: ContenderId): string => (r.rounds[id][0] ?? NaN).toFixed(2);
  const last = (id: ContenderId): string => (r.rounds[id].at(-1) ?? NaN).toFixed(2);
  const perPort = [
    ['one transaction per port', 'ms/port', 'x raw', 'CPU ms/port', 'first/last round', 'max RSS MB'],
    [
      '(a) agent PortBinder.bind',
      r.agentMsPerPort.toFixed(3),
      (r.agentMsPerPort / r.rawMsPerPort).toFixed(2),
      r.agentCpuMsPerPort.toFixed(3),
      `${first('agent')}/${last('agent')}`,
      r.agentRssMB.toFixed(1),
    ],
    [
      '(b) raw reference client',
      r.rawMsPerPort.toFixed(3),
      '1.00',
      r.rawCpuMsPerPort.toFixed(3),
      `${first('raw')}/${last('raw')}`,
      r.rawRssMB.toFixed(1),
    ],
    [
      '(c) ovsdbapp (python3)',
      r.ovsdbappMsPerPort.toFixed(3),
      (r.ovsdbappMsPerPort / r.rawMsPerPort).toFixed(2),
      r.ovsdbappCpuMsPerPort.toFixed(3),
      `${first('ovsdbapp')}/${last('ovsdbapp')}`,
      r.ovsdbappRssMB.toFixed(1),
    ],
    [
      '(d) ovs-vsctl loop',
      r.ovsVsctlMsPerPort.toFixed(3),
      (r.ovsVsctlMsPerPort / r.rawMsPerPort).toFixed(2),
      '-',
      `${first('ovsVsctl')}/${last('ovsVsctl')}`,
      '-',
    ],
  ];
  const runs = r.batchRuns.agentMs.length;
  const batch = [
    [`(e) all ${r.ports} ports in one transaction, median of ${runs}`, 'ms total', 'ms/port', 'x raw', 'CPU ms/port', 'runs ms', 'RSS MB'],
    [
      'agent PortBinder.bindMany',
      r.batchMsTotal.toFixed(1),
      (r.batchMsTotal / r.ports).toFixed(3),
      (r.batchMsTotal / r.rawBatchMsTotal).toFixed(2),
      r.batchAgentCpuMsPerPort.toFixed(3),
      r.batchRuns.agentMs.map((x) => x.toFixed(0)).join(' '),
      r.agentBatchRssMB.toFixed(1),
    ],
    [
      'raw reference client',
      r.rawBatchMsTotal.toFixed(1),
      (r.rawBatchMsTotal / r.ports).toFixed(3),
      '1.00',
      r.rawBatchCpuMsPerPort.toFixed(3),
      r.batchRuns.rawMs.map((x) => x.toFixed(0)).join(' '),
      '-',
    ],
  ];
  const ratios = Object.entries(r.ratios).map(([k, v]) => `  ${k.padEnd(32)} ${v.toFixed(3)}`);
  const targets = Object.entries(r.targets).map(([k, t]) => `  ${t.met ? 'met   ' : 'MISSED'} ${k} = ${t.value} (target ${t.limit})`);
  return [
    `OVS port binding, ${r.ports} ports; each contender on its own fresh ovsdb-server + ovs-vswitchd (dummy datapath, br-int netdev)`,
    `machine: ${r.machine.cpus} x ${r.machine.cpuModel}, node ${r.machine.node}, load average ${r.machine.loadAvg1m} at the end`,
    r.busyCore ? '--busy-core: a busy loop pinned to the last core ran throughout, beside every contender' : 'no --busy-core',
    'CPU ms/port: user + system time of the binding process from /proc/PID/stat (10 ms ticks, summed over the blocks)',
    '',
    pad(perPort),
    '',
    pad(batch),
    '',
    'ratios:',
    ...ratios,
    '',
    'targets:',
    ...targets,
  ].join('\n');
}
