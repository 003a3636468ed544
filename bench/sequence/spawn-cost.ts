// What starting one ipmitool session costs the coordinator's process, started from the coordinator
// itself (a fork of it) against started by the process launcher (process-launcher-main.ts), while
// the caller holds a few sizes of live memory. A session here is the same shape as a BMC session
// (sh running a pipeline of cat and a filter, one line in and then the end of its input, its answer
// out), without a BMC, so the figure is the start alone. CPU is the calling process's own (all its
// threads, process.cpuUsage), the launcher's beside it (its threads' schedstat); the two contenders
// take turns in each round, and each size gets a fresh launcher. `--sessions N` (default 40) per
// contender and round, `--rounds R` (default 3), `--heap-mb A,B,C` (default 0,128,512), `--json`.
// The memory is live JavaScript arrays (in V8's heap) or, with `--native`, Buffers (outside it, as
// TLS, HTTP/2 and other native allocations are): a fork costs very differently for the two (see
// the README).
import { ProcessLauncher, spawnDirect, type Spawn } from '../../coordinator/src/power/ipmi/process-launcher.js';
import { benchOptions, runBench, wholeNumber } from '../shared/cli.js';
import { schedCpuSeconds } from './system-sampler.js';
import { percentile } from './timeline.js';

const BENCH = {
  name: 'spawn',
  usage: '[--sessions N] [--rounds R] [--heap-mb A,B,C] [--native] [--json]\n(see the comment at the top of bench/sequence/spawn-cost.ts)',
};

const { values, sessions, rounds, heapSizes } = benchOptions(
  BENCH,
  {
    sessions: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '3' },
    'heap-mb': { type: 'string', default: '0,128,512' },
    json: { type: 'boolean', default: false },
    native: { type: 'boolean', default: false },
  },
  (values) => ({
    values,
    sessions: wholeNumber(values.sessions, '--sessions', 1, 10_000),
    rounds: wholeNumber(values.rounds, '--rounds', 1, 100),
    heapSizes: values['heap-mb'].split(',').map((mb) => wholeNumber(mb, '--heap-mb', 0, 16_384)),
  }),
);

function session(spawn: Spawn): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'cat | tr a-z A-Z'], { env: { PATH: '/usr/bin:/bin' }, stdin: 'pipe' });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', () => (out === 'PING\n' ? resolve() : reject(new Error(`the session answered ${JSON.stringify(out)}`))));
    child.stdin.end('ping\n');
  });
}

const threadsCpuMs = (pid: number): number => schedCpuSeconds(pid) * 1000;

async function measure(spawn: Spawn, launcherPid: () => number | undefined): Promise<{ ownMs: number; launcherMs: number }> {
  const pid = launcherPid();
  const launcherBefore = pid === undefined ? 0 : threadsCpuMs(pid);
  const before = process.cpuUsage();
  for (let i = 0; i < sessions; i++) await session(spawn);
  const used = process.cpuUsage(before);
  const after = launcherPid();
  return {
    ownMs: (used.user + used.system) / 1000 / sessions,
    launcherMs: after === undefined ? 0 : (threadsCpuMs(after) - (after === pid ? launcherBefore : 0)) / sessions,
  };
}

const median = (xs: readonly number[]): number => percentile(xs, 50);
const r2 = (v: number): number => Math.round(v * 100) / 100;

async function main(): Promise<void> {
  const rows = [];
  for (const heapMb of heapSizes) {
    // Live memory the fork has to map again: 1 MiB arrays of doubles, or 1 MiB Buffers.
    const ballast: unknown[] = [];
    for (let mb = 0; mb < heapMb; mb++)
      ballast.push(values.native ? Buffer.alloc(2 ** 20, mb) : Array.from({ length: 131_072 }, (_, i) => i * 1.5));
    const launcher = new ProcessLauncher();
    await session(launcher.spawn); // the launcher's own start is once per coordinator, not per session
    const direct: number[] = [];
    const launched: number[] = [];
    const launcherOwn: number[] = [];
    for (let round = 0; round < rounds; round++) {
      direct.push((await measure(spawnDirect, () => undefined)).ownMs);
      const viaLauncher = await measure(launcher.spawn, () => launcher.pid);
      launched.push(viaLauncher.ownMs);
      launcherOwn.push(viaLauncher.launcherMs);
    }
    launcher.close();
    const rssMB = Math.round(process.memoryUsage().rss / 2 ** 20);
    rows.push({
      heapMb,
      rssMB,
      directCpuMsPerSession: r2(median(direct)),
      launchedCpuMsPerSession: r2(median(launched)),
      launcherCpuMsPerSession: r2(median(launcherOwn)),
      ratio: r2(median(launched) / median(direct)),
    });
    ballast.length = 0;
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ sessions, rounds, memory: values.native ? 'native' : 'heap', rows })}\n`);
  } else {
    process.stdout.write(`memory: ${values.native ? 'Buffers (native)' : "V8's heap"}\n`);
    process.stdout.write('size MB  RSS MB  direct ms  via launcher ms  launcher ms  ratio\n');
    for (const r of rows) {
      process.stdout.write(
        `${String(r.heapMb).padStart(7)}  ${String(r.rssMB).padStart(6)}  ${String(r.directCpuMsPerSession).padStart(9)}  ` +
          `${String(r.launchedCpuMsPerSession).padStart(15)}  ${String(r.launcherCpuMsPerSession).padStart(11)}  ${r.ratio}\n`,
      );
    }
  }
}

runBench(BENCH, main);
