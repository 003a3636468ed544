// npm run bench:network [-- --ports N] [-- --json] [-- --rss-ports M]
//
// Attaches N ports (default 200) through Mooring and through the raw OVN/OVS tools, each on a fresh
// OVN central + chassis of its own (contenders.ts says what each does per port). The contenders
// take turns in rounds of N/10 ports, in alternating order, so a machine shared with other work
// slows both alike. Then the coordinator's memory: RSS growth of a child process holding an
// OvnNorthbound with M (default 10000) LSPs attached (rss-child.ts).
//
// Progress goes to stderr; stdout gets the table, or with --json exactly one JSON object with the
// keys ports, mooringMsPerPort, rawMsPerPort, coordinatorRssMB (and the ratio and RSS port count).

import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OvnCentral } from '../../test/harness/ovn.js';
import { WHAT_EACH_DOES, startContender, type Contender, type ContenderId } from './contenders.js';
import { benchOptions, runBench, wholeNumber } from '../shared/cli.js';

const run = promisify(execFile);
const ORDER: readonly ContenderId[] = ['mooring', 'raw'];
const TARGET_RATIO = 1.2;
const TARGET_RSS_MB = 50;
const log = (text: string): boolean => process.stderr.write(text);

async function attachRounds(ports: number): Promise<Record<ContenderId, number>> {
  const rounds = Math.min(10, ports);
  const totalMs: Record<ContenderId, number> = { mooring: 0, raw: 0 };
  const contenders = new Map<ContenderId, Contender>();
  try {
    for (const id of ORDER) contenders.set(id, await startContender(id));
    let start = 0;
    for (let r = 0; r < rounds; r++) {
      const count = Math.floor(ports / rounds) + (r < ports % rounds ? 1 : 0);
      const line: string[] = [];
      for (const id of r % 2 === 0 ? ORDER : [...ORDER].reverse()) {
        const ms = await contenders.get(id)!.attach(start, count);
        totalMs[id] += ms;
        line.push(`${id} ${(ms / count).toFixed(2)}`);
      }
      start += count;
      log(`bench:network round ${r + 1}/${rounds} (${count} ports each), ms/port: ${line.join(', ')}\n`);
    }
    for (const id of ORDER) {
      const up = await contenders.get(id)!.verify(ports);
      if (up !== ports) throw new Error(`${id}: only ${up} of ${ports} LSPs are up in NB`);
      log(`bench:network ${id}: ${ports} LSPs up in NB, verified with ovn-nbctl\n`);
    }
  } finally {
    for (const c of contenders.values()) await c.stop();
  }
  return totalMs;
}

interface RssResult {
  ports: number;
  growthMB: number;
  attachMs: number;
}

async function coordinatorRss(ports: number): Promise<RssResult> {
  const central = await OvnCentral.start();
  try {
    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rss-child.js');
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', child, '--nb', central.nbRemote, '--sb', central.sbRemote, '--ports', String(ports)],
      {
        maxBuffer: 1024 * 1024,
        timeout: 600_000,
      },
    );
    return JSON.parse(stdout.trim()) as RssResult;
  } finally {
    await central.stop();
  }
}

const BENCH = { name: 'network', usage: '[--ports N] [--rss-ports N] [--json]\n(see the comment at the top of bench/network/run.ts)' };

async function main(): Promise<void> {
  const { values, ports, rssPorts } = benchOptions(
    BENCH,
    {
      ports: { type: 'string', default: '200' },
      json: { type: 'boolean', default: false },
      'rss-ports': { type: 'string', default: '10000' },
    },
    (values) => ({
      values,
      ports: wholeNumber(values.ports, '--ports', 1, 5000),
      rssPorts: wholeNumber(values['rss-ports'], '--rss-ports', 1, 100_000),
    }),
  );
  log(`bench:network attaching ${ports} ports per contender, each on a fresh OVN central + chassis\n`);
  const totalMs = await attachRounds(ports);
  log(`bench:network coordinator memory: ${rssPorts} LSPs through one OvnNorthbound in a child process\n`);
  const rss = await coordinatorRss(rssPorts);
  const mooring = totalMs.mooring / ports;
  const raw = totalMs.raw / ports;
  const ratio = mooring / raw;
  if (values.json) {
    const summary = {
      ports,
      mooringMsPerPort: round(mooring),
      rawMsPerPort: round(raw),
      ratio: round(ratio),
      coordinatorRssMB: round(rss.growthMB),
      rssPorts: rss.ports,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const rows = [
    ['contender', 'ms/port', 'per port'],
    ['mooring', mooring.toFixed(2), WHAT_EACH_DOES.mooring],
    ['raw tools', raw.toFixed(2), WHAT_EACH_DOES.raw],
  ];
  const width = [0, 1].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => `${r[0]!.padEnd(width[0]!)}  ${r[1]!.padStart(width[1]!)}  ${r[2]}`);
  lines.push(
    '',
    `ports: ${ports} per contender (create LSP + bind on the smartNIC + wait for up), fresh OVN central + chassis each`,
    `mooring / raw: ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
    `coordinator RSS growth for ${rss.ports} LSPs: ${rss.growthMB.toFixed(1)} MB (target < ${TARGET_RSS_MB} MB: ` +
      `${rss.growthMB < TARGET_RSS_MB ? 'met' : 'NOT met'}); attached in ${(rss.attachMs / 1000).toFixed(1)} s, ` +
      `${(rss.attachMs / rss.ports).toFixed(2)} ms/attach`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

runBench(BENCH, main);
