// The process launcher: children started for the coordinator by a small process it forks once, with
// their pipes handed back. The launcher runs compiled JavaScript, so it is loaded from dist/ (npm test
// builds first).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProcessLauncher, SpawnedProcess } from '../../../coordinator/src/power/ipmi/process-launcher.js';
import { ROOT } from '../../harness/cli.js';
import { exitsWithin } from '../../harness/process-exit.js';

type LauncherModule = typeof import('../../../coordinator/src/power/ipmi/process-launcher.js');

const modulePath = join(ROOT, 'dist/coordinator/src/power/ipmi/process-launcher.js');
let module: LauncherModule;
let launcher: ProcessLauncher;
let scratch: string;

beforeAll(async () => {
  module = (await import(pathToFileURL(modulePath).href)) as LauncherModule;
  launcher = new module.ProcessLauncher();
  scratch = await mkdtemp(join(tmpdir(), 'launcher-'));
});

afterAll(async () => {
  launcher.close();
  await rm(scratch, { recursive: true, force: true });
});

const env = { PATH: '/usr/bin:/bin', SECRET: 'only-in-env' };

interface Ended {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function ended(child: SpawnedProcess): Promise<Ended | { error: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => resolve({ error }));
    child.once('close', (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}

const parentOf = async (pid: number): Promise<number> => {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
};

it('runs a child with its input, output, error output, environment and exit status', async () => {
  const child = launcher.spawn('sh', ['-c', 'tr a-z A-Z; echo "$SECRET" >&2; exit 3'], { env, stdin: 'pipe' });
  child.stdin.end('hello\n');
  expect(await ended(child)).toEqual({ stdout: 'HELLO\n', stderr: 'only-in-env\n', code: 3, signal: null });
  expect(child.exitCode).toBe(3);
});

it('starts children from the launcher, never by forking the caller, in their own process group', async () => {
  const child = launcher.spawn('sh', ['-c', 'cat /proc/$$/stat; sleep 0.2'], { env, stdin: 'ignore' });
  const result = await ended(child);
  const fields = 'stdout' in result ? result.stdout.slice(result.stdout.lastIndexOf(')') + 2).split(' ') : [];
  const [, ppid, pgid] = fields.map(Number);
  expect(ppid).toBe(launcher.pid);
  expect(ppid).not.toBe(process.pid);
  expect(pgid).toBe(child.pid);
  expect(await parentOf(launcher.pid!)).toBe(process.pid);
});

it('loses nothing a child writes the moment it starts (the gate holds it until the caller has its pipes)', async () => {
  for (let i = 0; i < 5; i++) {
    const script = 'echo first; echo oops >&2; head -c 300000 /dev/zero | tr "\\0" a; head -c 70000 /dev/zero | tr "\\0" b >&2';
    const result = await ended(launcher.spawn('sh', ['-c', script], { env, stdin: 'ignore' }));
    expect('stdout' in result && result.stdout.slice(0, 6)).toBe('first\n');
    expect('stdout' in result && result.stdout.length).toBe(300_006);
    expect('stderr' in result && result.stderr.length).toBe(70_005);
  }
});

it('reports a program that cannot start with the errno spawn() would give', async () => {
  for (const [file, code] of [
    ['/nonexistent/ipmitool', 'ENOENT'],
    ['no-such-program-here', 'ENOENT'],
    ['/etc/passwd', 'EACCES'],
    ['/usr', 'EACCES'],
  ] as const) {
    const result = await ended(launcher.spawn(file, [], { env, stdin: 'ignore' }));
    expect('error' in result && result.error.code, file).toBe(code);
  }
});

it('a child killed before its pipes arrive never runs its program', async () => {
  const marker = join(scratch, 'ran');
  const child = launcher.spawn('sh', ['-c', `touch ${marker}`], { env, stdin: 'ignore' });
  module.killProcessGroup(child);
  expect(await ended(child)).toMatchObject({ code: null, signal: 'SIGKILL' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await expect(stat(marker)).rejects.toMatchObject({ code: 'ENOENT' });
});

it('when the launcher dies, its running children are killed and closed, and the next spawn starts a new launcher', async () => {
  const child = launcher.spawn('sleep', ['60'], { env, stdin: 'pipe' });
  const result = ended(child);
  while (child.pid === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  const before = launcher.started;
  process.kill(launcher.pid!, 'SIGKILL');
  expect(await result).toMatchObject({ code: null, signal: 'SIGKILL' });
  expect(await exitsWithin(child.pid, 2_000)).toBe(true);
  const again = launcher.spawn('echo', ['again'], { env, stdin: 'ignore' });
  expect(await ended(again)).toEqual({ stdout: 'again\n', stderr: '', code: 0, signal: null });
  expect(launcher.started).toBe(before + 1);
});

it('does not keep its caller alive once its children are done', async () => {
  const script = `
    const { ProcessLauncher } = await import(${JSON.stringify(pathToFileURL(modulePath).href)});
    const child = new ProcessLauncher().spawn('echo', ['done'], { env: { PATH: '/usr/bin:/bin' }, stdin: 'ignore' });
    child.stdout.pipe(process.stdout);
    child.stderr.resume();`;
  const node = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  node.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => node.once('close', resolve));
  expect({ code, out }).toEqual({ code: 0, out: 'done\n' });
});
