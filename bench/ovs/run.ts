// npm run bench:ovs [-- --ports N] [-- --json] [-- --rounds R] [-- --batch-runs B] [-- --busy-core]
//
// Binds N ports (default 1000) on br-int, each transaction confirmed applied (cur_cfg) and active
// (ofport > 0, no error), with (a) the agent in a child process, (b) a minimal raw-socket reference
// client, (c) ovsdbapp, (d) an ovs-vsctl loop; then (e) the agent's batch mode and the reference
// client each sending all N in one transaction. Every contender has its own fresh daemons and is
// verified afterwards.
//
// Per-port contenders run side by side in R rounds (default 50) of N/R ports each, taking turns in
// a rotating order: each round binds the next block on each contender's own bridge. A machine
// shared with other work (CI, a second build) then slows all contenders alike instead of whichever
// happened to run at the time. Batches are short and noisy (most of their time is ovs-vswitchd
// reconfiguring), so each is repeated B times (default 5), alternating, and the median reported.
//
// Each contender's CPU time is read from /proc/PID/stat around every block (agentCpuMsPerPort and
// the others beside the wall times). --busy-core runs a busy loop pinned to one core for the whole
// run (bench/shared/busy-core.ts), so every contender, per port and batch, meets the same neighbour.
//
// Progress goes to stderr; stdout gets the table, or with --json exactly one JSON object.

import { withBusyCore } from '../shared/busy-core.js';
import { Trial, type ContenderId } from './contenders.js';
import { formatTable, summarise, type Samples } from './report.js';
import { benchOptions, runBench, wholeNumber } from '../shared/cli.js';

const PER_PORT: readonly ContenderId[] = ['raw', 'agent', 'ovsdbapp', 'ovsVsctl'];

const log = (text: string): boolean => process.stderr.write(text);

async function perPortRounds(ports: number, rounds: number, s: Samples): Promise<void> {
  const trials = new Map<ContenderId, Trial>();
  try {
    for (const id of PER_PORT) trials.set(id, await Trial.start(id));
    for (let r = 0; r < rounds; r++) {
      const count = Math.floor(ports / rounds) + (r < ports % rounds ? 1 : 0);
      const order = PER_PORT.map((_, i) => PER_PORT[(i + r) % PER_PORT.length]!);
      const line: string[] = [];
      for (const id of order) {
        const { ms, cpuMs } = await trials.get(id)!.bind(count, false);
        s.perPortMs[id] += ms;
        if (cpuMs !== undefined) s.perPortCpuMs[id] = (s.perPortCpuMs[id] ?? 0) + cpuMs;
        s.rounds[id].push(ms / count);
        line.push(`${id} ${(ms / count).toFixed(2)}`);
      }
      // About ten progress lines whatever the number of rounds.
      if ((r + 1) % Math.ceil(rounds / 10) === 0 || r === rounds - 1)
        log(`bench:ovs round ${r + 1}/${rounds} (${count} ports each), ms/port: ${line.join(', ')}\n`);
    }
    for (const id of PER_PORT) {
      const trial = trials.get(id)!;
      trials.delete(id);
      s.rssMB[id] = await trial.finish();
      log(`bench:ovs ${id}: ${ports} ports verified\n`);
    }
  } finally {
    for (const t of trials.values()) await t.abandon();
  }
}

async function batchRuns(ports: number, runs: number, s: Samples): Promise<void> {
  for (let b = 0; b < runs; b++) {
    const order: ContenderId[] = b % 2 === 0 ? ['raw', 'agent'] : ['agent', 'raw'];
    for (const id of order) {
      const trial = await Trial.start(id);
      let t: Awaited<ReturnType<Trial['bind']>>;
      try {
        t = await trial.bind(ports, true);
      } catch (err) {
        await trial.abandon();
        throw err;
      }
      const rss = await trial.finish();
      const key = id === 'agent' ? 'agent' : 'raw';
      s.batchMs[key].push(t.ms);
      s.batchCpuMs[key].push(t.cpuMs ?? NaN);
      if (id === 'agent') s.batchRssMB.push(rss ?? NaN);
      log(
        `bench:ovs batch ${b + 1}/${runs} ${id}: ${ports} ports in one transaction, ${t.ms.toFixed(1)} ms, ` +
          `${(t.cpuMs ?? NaN).toFixed(0)} ms CPU, verified\n`,
      );
    }
  }
}

const BENCH = {
  name: 'ovs',
  usage: `[--ports N] [--rounds R] [--batch-runs B] [--busy-core] [--json]
(see the comment at the top of bench/ovs/run.ts)`,
};

async function main(): Promise<void> {
  const { values, ports, rounds, runs } = benchOptions(
    BENCH,
    {
      ports: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '50' },
      'batch-runs': { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      'busy-core': { type: 'boolean', default: false },
    },
    (values) => {
      const ports = wholeNumber(values.ports, '--ports', 1, 60_000);
      const rounds = Math.min(ports, wholeNumber(values.rounds, '--rounds', 1, 1000));
      return { values, ports, rounds, runs: wholeNumber(values['batch-runs'], '--batch-runs', 1, 100) };
    },
  );

  const s: Samples = {
    ports,
    busyCore: values['busy-core'],
    perPortMs: { agent: 0, raw: 0, ovsdbapp: 0, ovsVsctl: 0 },
    perPortCpuMs: { agent: undefined, raw: undefined, ovsdbapp: undefined, ovsVsctl: undefined },
    rounds: { agent: [], raw: [], ovsdbapp: [], ovsVsctl: [] },
    rssMB: { agent: undefined, raw: undefined, ovsdbapp: undefined, ovsVsctl: undefined },
    batchMs: { agent: [], raw: [] },
    batchCpuMs: { agent: [], raw: [] },
    batchRssMB: [],
  };
  await withBusyCore(s.busyCore, async () => {
    if (s.busyCore) log('bench:ovs --busy-core: a busy loop runs on the last core for the whole run\n');
    await perPortRounds(ports, rounds, s);
    await batchRuns(ports, runs, s);
  });

  const summary = summarise(s);
  process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : `${formatTable(summary)}\n`);
}

runBench(BENCH, main);
