// How every benchmark takes its options and ends (bench/shared/cli.ts), run as an operator runs
// them (node dist/bench/NAME/run.js): --help, an unknown option, a refused value, and a SIGTERM to
// the benchmark alone while it has peers running.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descendants } from '../../bench/shared/cli.js';
import { REPO_ROOT } from '../harness/coordinator-process.js';

const BENCHES: Record<string, string> = {
  alloc: 'alloc/run.js',
  console: 'console/run.js',
  deploy: 'deploy/run.js',
  fleet: 'fleet/run.js',
  lxd: 'lxd/run.js',
  network: 'network/run.js',
  ovs: 'ovs/run.js',
  sequence: 'sequence/run.js',
  spawn: 'sequence/spawn-cost.js',
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function bench(script: string, args: readonly string[]): { pid: number; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'bench', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<Ended>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { pid: child.pid!, ended };
}

describe('benchmark options', () => {
  it.each(Object.entries(BENCHES))(
    'bench:%s: --help prints the usage, an unknown option is refused with it (exit 2)',
    async (name, script) => {
      const [help, unknown] = await Promise.all([bench(script, ['--help']).ended, bench(script, ['--no-such-option']).ended]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: npm run bench:${name} -- \\[`));
      expect(unknown.code).toBe(2);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toContain(`bench:${name}: Unknown option '--no-such-option'`);
      expect(unknown.stderr).toContain(`usage: npm run bench:${name} -- `);
    },
  );

  it('a refused value names the option and what it takes, before anything is started', async () => {
    const cases: [string, string[], string][] = [
      ['alloc/run.js', ['--machines', '0'], 'bench:alloc: --machines takes a whole number from 1 to 1000000, not 0'],
      ['alloc/run.js', ['--rate=-5'], 'bench:alloc: --rate (cycles a second) takes a number above 0, not -5'],
      ['alloc/run.js', ['--gather', '4'], 'bench:alloc: --gather: only with --store etcd'],
      ['alloc/run.js', ['--store', 'etcd', '--no-member-list'], 'bench:alloc: --no-member-list: not with --store etcd'],
      ['alloc/run.js', ['--store', 'etcd', '--coordinators', '1,x'], 'bench:alloc: --coordinators takes a whole number from 1 to 9, not x'],
      ['alloc/run.js', ['--store', 'postgres'], 'bench:alloc: --store takes lmdb or etcd, not postgres'],
      ['sequence/run.js', ['--hardware-nice', '40'], 'bench:sequence: --hardware-nice takes a whole number from 0 to 19, not 40'],
      ['ovs/run.js', ['--ports', '2.5'], 'bench:ovs: --ports takes a whole number from 1 to 60000, not 2.5'],
    ];
    const ended = await Promise.all(cases.map(([script, args]) => bench(script, args).ended));
    ended.forEach((e, i) => {
      expect(e.code, cases[i]![2]).toBe(2);
      expect(e.stderr.split('\n')[0]).toBe(cases[i]![2]);
    });
  });
});

describe('a benchmark stopped by SIGTERM', () => {
  it('stops the peers it started and exits 143 (128 + SIGTERM)', async () => {
    // 100000 machines take the coordinator far longer to enlist than this test waits.
    const run = bench('alloc/run.js', ['--machines', '100000', '--no-member-list']);
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    for (const until = Date.now() + 30_000; descendants(run.pid).length === 0 && Date.now() < until;) await sleep(100);
    // Give the coordinator time to be enlisting (its data dir and listener up), then stop the bench alone.
    await sleep(2000);
    const peers = descendants(run.pid);
    expect(peers.length).toBeGreaterThan(0);
    process.kill(run.pid, 'SIGTERM');
    const ended = await run.ended;
    expect(ended.code).toBe(143);
    expect(ended.stderr).toContain('bench:alloc: SIGTERM: stopping what the run started');
    expect(peers.filter(alive)).toEqual([]);
  }, 60_000);
});
