// npm run bench:lxd [-- --instances N] [-- --rounds R] [-- --json]
//
// Composes N containers (default 50) on one private LXD (test/harness/lxd.ts: dir pool, busybox
// image) with each contender of contenders.ts, each in its own project, then lists them with each.
// The contenders take turns in R rounds (default 5) of N/R containers in a rotating order, so load
// from elsewhere on the machine slows all of them alike. Every contender's container count is
// checked with lxc afterwards. Progress goes to stderr; stdout gets a table, or with --json one
// JSON object with instances, mooringMsPerInstance, pylxdMsPerInstance, lxcMsPerInstance, ...

import os from 'node:os';
import { parseArgs } from 'node:util';
import { LxdDaemon } from '../../test/harness/lxd.js';
import { LxcContender, MooringContender, PylxdContender, type Contender, type ContenderId } from './contenders.js';

const IDS: readonly ContenderId[] = ['mooring', 'pylxd', 'lxc'];
const PROJECT: Record<ContenderId, string> = { mooring: 'mooring-bench', pylxd: 'default', lxc: 'lxc-bench' };
const log = (text: string): boolean => process.stderr.write(text);

function positiveInt(text: string | undefined, flag: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${flag} must be an integer from 1 to ${max}, got ${text}`);
  return n;
}

const round = (v: number, digits = 2): number => Number(v.toFixed(digits));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      instances: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const n = positiveInt(values.instances, '--instances', 2000);
  const rounds = Math.min(n, positiveInt(values.rounds, '--rounds', 100));
  const lxd = await LxdDaemon.start();
  const contenders = new Map<ContenderId, Contender>();
  try {
    await lxd.createProject(PROJECT.lxc);
    contenders.set('mooring', await MooringContender.start(lxd, PROJECT.mooring));
    contenders.set('pylxd', new PylxdContender(lxd));
    contenders.set('lxc', new LxcContender(lxd, PROJECT.lxc));
    const composeMs: Record<ContenderId, number> = { mooring: 0, pylxd: 0, lxc: 0 };
    let made = 0;
    for (let r = 0; r < rounds; r++) {
      const count = Math.floor(n / rounds) + (r < n % rounds ? 1 : 0);
      const names = Array.from({ length: count }, (_, i) => `b${made + i}`);
      made += count;
      const line: string[] = [];
      for (const id of IDS.map((_, i) => IDS[(i + r) % IDS.length]!)) {
        const ms = await contenders.get(id)!.compose(names.map((x) => `${id.slice(0, 2)}-${x}`));
        composeMs[id] += ms;
        line.push(`${id} ${(ms / count).toFixed(1)}`);
      }
      log(`bench:lxd round ${r + 1}/${rounds} (${count} containers each), ms/instance: ${line.join(', ')}\n`);
    }
    const listMs: Record<ContenderId, number> = { mooring: 0, pylxd: 0, lxc: 0 };
    for (const id of IDS) {
      const l = await contenders.get(id)!.list();
      if (l.count !== n) throw new Error(`${id} listed ${l.count} containers, expected ${n}`);
      listMs[id] = l.ms;
      const seen = (await lxd.lxc('list', '--project', PROJECT[id], '--format', 'csv', '-c', 'n')).split('\n').filter(Boolean).length;
      if (seen !== n) throw new Error(`lxc sees ${seen} containers in ${PROJECT[id]}, expected ${n}`);
    }
    log(`bench:lxd verified ${n} containers per contender\n`);
    const per = (id: ContenderId): number => composeMs[id] / n;
    const result = {
      instances: n,
      mooringMsPerInstance: round(per('mooring')),
      pylxdMsPerInstance: round(per('pylxd')),
      lxcMsPerInstance: round(per('lxc')),
      listMs: { mooring: round(listMs.mooring), pylxd: round(listMs.pylxd), lxc: round(listMs.lxc) },
      ratios: { mooringVsPylxd: round(per('mooring') / per('pylxd'), 3), mooringVsLxc: round(per('mooring') / per('lxc'), 3) },
      targets: { atLeastAsFastAsPylxd: per('mooring') <= per('pylxd'), fasterThanLxc: per('mooring') < per('lxc') },
      machine: { cpus: os.cpus().length, node: process.version, loadAvg1m: round(os.loadavg()[0]!) },
    };
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${table(result)}\n`);
  } finally {
    for (const c of contenders.values()) await c.close().catch(() => undefined);
    await lxd.stop();
  }
}

function table(r: {
  instances: number;
  mooringMsPerInstance: number;
  pylxdMsPerInstance: number;
  lxcMsPerInstance: number;
  listMs: Record<ContenderId, number>;
  ratios: Record<string, number>;
  targets: Record<string, boolean>;
}): string {
  const rows = [
    ['mooring (agent lxd_compose path)', r.mooringMsPerInstance, r.listMs.mooring, 1],
    ['pylxd 2.2 (python3-pylxd)', r.pylxdMsPerInstance, r.listMs.pylxd, r.pylxdMsPerInstance / r.mooringMsPerInstance],
    ['lxc init loop', r.lxcMsPerInstance, r.listMs.lxc, r.lxcMsPerInstance / r.mooringMsPerInstance],
  ];
  const lines = [
    `bench:lxd: ${r.instances} containers per contender`,
    'contender                          ms/instance   list ms   x mooring',
  ];
  for (const [name, ms, list, x] of rows)
    lines.push(
      `${String(name).padEnd(34)} ${Number(ms).toFixed(2).padStart(11)} ${Number(list).toFixed(1).padStart(9)} ` +
        `${Number(x).toFixed(2).padStart(11)}`,
    );
  lines.push(
    `targets: as fast as pylxd ${r.targets.atLeastAsFastAsPylxd ? 'met' : 'MISSED'} (${r.ratios.mooringVsPylxd}x), faster than lxc ` +
      `${r.targets.fasterThanLxc ? 'met' : 'MISSED'} (${r.ratios.mooringVsLxc}x)`,
  );
  return lines.join('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`\nbench:lxd failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
