// npm run bench:lxd [-- --instances N] [-- --rounds R] [-- --busy-core] [-- --json]
//
// Composes N containers (default 50) on one private LXD (test/harness/lxd.ts: dir pool, busybox
// image) with each contender of contenders.ts, each in its own project, then lists them with each.
// The contenders take turns in R rounds (default 5) of N/R containers in a rotating order, so load
// from elsewhere on the machine slows all of them alike; the lists are taken R times in the same
// rotation and their medians reported. With --busy-core a busy loop pinned to one core
// (bench/shared/busy-core.ts) runs through every round and list, the same for all contenders.
// Every contender's container count is checked with lxc afterwards. Progress goes to stderr;
// stdout gets a table, or with --json one JSON object with instances, busyCore,
// mooringMsPerInstance, pylxdMsPerInstance, lxcMsPerInstance, restMsPerInstance, listMs,
// mooringListSettledMs, clientCpuMsPerInstance, lxdCpuMsPerInstance, ratios, targets, machine.
// The CPU figures (each client's, and LXD's own: the daemon plus the helpers it reaped, during that
// client's compose rounds) tell a client's cost from its wait on LXD.

import os from 'node:os';
import { LxdDaemon } from '../../test/harness/lxd.js';
import { withBusyCore } from '../shared/busy-core.js';
import { processCpuMs } from '../shared/proc-cpu.js';
import { LxcContender, MooringContender, PylxdContender, RestContender, type Contender, type ContenderId } from './contenders.js';
import { benchOptions, runBench, wholeNumber } from '../shared/cli.js';

const IDS: readonly ContenderId[] = ['mooring', 'pylxd', 'lxc', 'rest'];
const PROJECT: Record<ContenderId, string> = { mooring: 'mooring-bench', pylxd: 'default', lxc: 'lxc-bench', rest: 'rest-bench' };
/** The targets of issue 16: compose and list each at most this fraction of pylxd's time. */
const PYLXD_TARGET = 0.9;
const log = (text: string): boolean => process.stderr.write(text);

const round = (v: number, digits = 2): number => Number(v.toFixed(digits));

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The contenders in round r's order: each goes first once every IDS.length rounds. */
const rotation = (r: number): ContenderId[] => IDS.map((_, i) => IDS[(i + r) % IDS.length]!);

const BENCH = {
  name: 'lxd',
  usage: `[--instances N] [--rounds R] [--busy-core] [--json]
(see the comment at the top of bench/lxd/run.ts)`,
};

async function main(): Promise<void> {
  const { values, n, rounds } = benchOptions(
    BENCH,
    {
      instances: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '5' },
      'busy-core': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    (values) => {
      const n = wholeNumber(values.instances, '--instances', 1, 2000);
      return { values, n, rounds: Math.min(n, wholeNumber(values.rounds, '--rounds', 1, 100)) };
    },
  );
  const busyCore = values['busy-core'];
  const lxd = await LxdDaemon.start();
  const contenders = new Map<ContenderId, Contender>();
  try {
    await lxd.createProject(PROJECT.lxc);
    await lxd.createProject(PROJECT.rest);
    contenders.set('mooring', await MooringContender.start(lxd, PROJECT.mooring));
    contenders.set('pylxd', new PylxdContender(lxd));
    contenders.set('lxc', new LxcContender(lxd, PROJECT.lxc));
    contenders.set('rest', new RestContender(lxd, PROJECT.rest));
    const composeMs = zeroes();
    // CPU during each contender's compose rounds: its client's and LXD's (the daemon and the helper
    // processes it has reaped), to tell a client's own cost from the wait on LXD.
    const clientCpuMs = zeroes();
    const lxdCpuMs = zeroes();
    const lxdPid = lxd.pid;
    if (lxdPid === undefined) throw new Error('the LXD daemon has no pid');
    const lxdCpu = (): number => processCpuMs(lxdPid, true);
    const listSamples: Record<ContenderId, number[]> = { mooring: [], pylxd: [], lxc: [], rest: [] };
    const settledSamples: number[] = [];
    await withBusyCore(busyCore, async () => {
      let made = 0;
      for (let r = 0; r < rounds; r++) {
        const count = Math.floor(n / rounds) + (r < n % rounds ? 1 : 0);
        const names = Array.from({ length: count }, (_, i) => `b${made + i}`);
        made += count;
        const line: string[] = [];
        for (const id of rotation(r)) {
          const c = contenders.get(id)!;
          const [client0, lxd0] = [c.cpuMs(), lxdCpu()];
          const ms = await c.compose(names.map((x) => `${id.slice(0, 2)}-${x}`));
          clientCpuMs[id] += c.cpuMs() - client0;
          lxdCpuMs[id] += lxdCpu() - lxd0;
          composeMs[id] += ms;
          line.push(`${id} ${(ms / count).toFixed(1)}`);
        }
        log(`bench:lxd round ${r + 1}/${rounds} (${count} containers each), ms/instance: ${line.join(', ')}\n`);
      }
      for (let r = 0; r < rounds; r++) {
        const line: string[] = [];
        for (const id of rotation(r)) {
          const l = await contenders.get(id)!.list();
          if (l.count !== n) throw new Error(`${id} listed ${l.count} containers, expected ${n}`);
          listSamples[id].push(l.ms);
          if (l.settledMs !== undefined) settledSamples.push(l.settledMs);
          line.push(`${id} ${l.ms.toFixed(1)}${l.settledMs !== undefined ? ` (settled ${l.settledMs.toFixed(1)})` : ''}`);
        }
        log(`bench:lxd list ${r + 1}/${rounds}, ms: ${line.join(', ')}\n`);
      }
    });
    for (const id of IDS) {
      const seen = (await lxd.lxc('list', '--project', PROJECT[id], '--format', 'csv', '-c', 'n')).split('\n').filter(Boolean).length;
      if (seen !== n) throw new Error(`lxc sees ${seen} containers in ${PROJECT[id]}, expected ${n}`);
    }
    log(`bench:lxd verified ${n} containers per contender\n`);
    const per = (id: ContenderId): number => composeMs[id] / n;
    const list = (id: ContenderId): number => median(listSamples[id]);
    const composeVsPylxd = per('mooring') / per('pylxd');
    const listVsPylxd = list('mooring') / list('pylxd');
    const result: BenchResult = {
      instances: n,
      busyCore,
      mooringMsPerInstance: round(per('mooring')),
      pylxdMsPerInstance: round(per('pylxd')),
      lxcMsPerInstance: round(per('lxc')),
      restMsPerInstance: round(per('rest')),
      listMs: { mooring: round(list('mooring')), pylxd: round(list('pylxd')), lxc: round(list('lxc')), rest: round(list('rest')) },
      mooringListSettledMs: round(median(settledSamples)),
      clientCpuMsPerInstance: perInstance(clientCpuMs, n),
      lxdCpuMsPerInstance: perInstance(lxdCpuMs, n),
      ratios: {
        mooringVsPylxd: round(composeVsPylxd, 3),
        mooringVsLxc: round(per('mooring') / per('lxc'), 3),
        mooringVsRest: round(per('mooring') / per('rest'), 3),
        listVsPylxd: round(listVsPylxd, 3),
        listVsLxc: round(list('mooring') / list('lxc'), 3),
      },
      targets: {
        composeAtMost0_9xPylxd: composeVsPylxd <= PYLXD_TARGET,
        listAtMost0_9xPylxd: listVsPylxd <= PYLXD_TARGET,
        fasterThanLxc: per('mooring') < per('lxc'),
      },
      machine: { cpus: os.cpus().length, node: process.version, loadAvg1m: round(os.loadavg()[0]!) },
    };
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${table(result)}\n`);
  } finally {
    for (const c of contenders.values()) await c.close().catch(() => undefined);
    await lxd.stop();
  }
}

const zeroes = (): Record<ContenderId, number> => ({ mooring: 0, pylxd: 0, lxc: 0, rest: 0 });

/** Per instance, rounded; lxc's client CPU is not counted (a process per call): null. */
const perInstance = (ms: Record<ContenderId, number>, n: number): Record<ContenderId, number | null> => ({
  mooring: round(ms.mooring / n),
  pylxd: round(ms.pylxd / n),
  lxc: Number.isNaN(ms.lxc) ? null : round(ms.lxc / n),
  rest: round(ms.rest / n),
});

interface BenchResult {
  instances: number;
  busyCore: boolean;
  mooringMsPerInstance: number;
  pylxdMsPerInstance: number;
  lxcMsPerInstance: number;
  restMsPerInstance: number;
  listMs: Record<ContenderId, number>;
  /** Until the hardware re-scan the refresh started in the background had landed in a report. */
  mooringListSettledMs: number;
  /** CPU of each client during its compose rounds, per instance (10 ms ticks for pylxd). */
  clientCpuMsPerInstance: Record<ContenderId, number | null>;
  /** CPU of LXD (daemon and reaped helpers) during each contender's compose rounds, per instance. */
  lxdCpuMsPerInstance: Record<ContenderId, number | null>;
  ratios: Record<string, number>;
  targets: Record<string, boolean>;
  machine: { cpus: number; node: string; loadAvg1m: number };
}

function table(r: BenchResult): string {
  const rows: [string, number, number][] = [
    ['mooring (agent lxd_compose path)', r.mooringMsPerInstance, r.listMs.mooring],
    ['pylxd 2.2 (python3-pylxd)', r.pylxdMsPerInstance, r.listMs.pylxd],
    ['lxc init loop', r.lxcMsPerInstance, r.listMs.lxc],
    ["bare REST (LXD's own time)", r.restMsPerInstance, r.listMs.rest],
  ];
  const lines = [
    `bench:lxd: ${r.instances} containers per contender${r.busyCore ? ', busy core' : ''} (load ${r.machine.loadAvg1m})`,
    'contender                          ms/instance  x mooring   list ms  x mooring',
  ];
  for (const [name, ms, list] of rows)
    lines.push(
      `${name.padEnd(34)} ${ms.toFixed(2).padStart(11)} ${(ms / r.mooringMsPerInstance).toFixed(2).padStart(10)} ` +
        `${list.toFixed(1).padStart(9)} ${(list / r.listMs.mooring).toFixed(2).padStart(10)}`,
    );
  const cpu = (id: ContenderId): string => {
    const c = r.clientCpuMsPerInstance[id];
    return `${id} ${c === null ? '-' : c.toFixed(2)} / ${r.lxdCpuMsPerInstance[id]?.toFixed(2) ?? '-'}`;
  };
  lines.push(`compose CPU ms/instance, client / LXD: ${IDS.map(cpu).join(', ')}`);
  lines.push(`mooring's refresh answers with the last hardware scan; the new scan landed after ${r.mooringListSettledMs.toFixed(1)} ms`);
  const met = (ok: boolean | undefined): string => (ok ? 'met' : 'MISSED');
  lines.push(
    `targets: compose <= ${PYLXD_TARGET}x pylxd ${met(r.targets.composeAtMost0_9xPylxd)} (${r.ratios.mooringVsPylxd}x), ` +
      `list <= ${PYLXD_TARGET}x pylxd ${met(r.targets.listAtMost0_9xPylxd)} (${r.ratios.listVsPylxd}x), ` +
      `compose faster than lxc ${met(r.targets.fasterThanLxc)} (${r.ratios.mooringVsLxc}x)`,
  );
  return lines.join('\n');
}

runBench(BENCH, main);
