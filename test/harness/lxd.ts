// Starts a private LXD daemon in a temporary LXD_DIR (shared/reference/real-components.md): a dir
// storage pool `default`, a root disk in the default profile, a busybox image built at test time
// from busybox-static, and optionally the HTTPS API on a free 127.0.0.1 port. stop() is idempotent
// and always cleans up (instances, mounts, the directory); a process exit hook kills a daemon that
// is still running. Containers only: this kind of machine has no KVM.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { canConnect, waitFor } from './ovs.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox';
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface LxdOptions {
  /** Listen on HTTPS (core.https_address) on a free 127.0.0.1 port. */
  https?: boolean;
  /** Import the busybox image under this alias (default true). */
  image?: boolean;
}

export class LxdDaemon {
  private proc: ChildProcess | undefined;
  private stopped = false;
  /** Whether the busybox image was imported at start. */
  private imported = false;
  httpsPort = 0;

  private constructor(readonly dir: string) {}

  static async start(options: LxdOptions = {}): Promise<LxdDaemon> {
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-lxd-'));
    const lxd = new LxdDaemon(dir);
    try {
      await lxd.startDaemon();
      await lxd.lxc('storage', 'create', 'default', 'dir');
      await lxd.lxc('profile', 'device', 'add', 'default', 'root', 'disk', 'path=/', 'pool=default');
      if (options.image !== false) {
        await lxd.lxc('image', 'import', await busyboxImage(), '--alias', 'busybox');
        lxd.imported = true;
      }
      if (options.https) {
        lxd.httpsPort = await freePort();
        await lxd.lxc('config', 'set', 'core.https_address', `127.0.0.1:${lxd.httpsPort}`);
      }
    } catch (err) {
      await lxd.stop();
      throw err;
    }
    return lxd;
  }

  /** The daemon's process id (benchmarks read its CPU time from /proc). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get socket(): string {
    return path.join(this.dir, 'unix.socket');
  }

  get httpsUrl(): string {
    return `https://127.0.0.1:${this.httpsPort}`;
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, LXD_DIR: this.dir };
  }

  /** Runs the lxc CLI against this daemon (60 s bound so a test never hangs). */
  async lxc(...args: string[]): Promise<string> {
    try {
      return (await runCli('lxc', args, this.env)).trim();
    } catch (error) {
      // Once, in CI, a listing right after the agent created a project failed with the daemon
      // closing the connection (`Get "http://unix.socket/1.0/projects?recursion=1": EOF`) and the
      // next commands of the file passed: a listing changes nothing, so it is asked once more.
      const listing = args[0] === 'list' || args[1] === 'list';
      if (!listing || !/: EOF$/.test((error as Error).message)) throw error;
      return (await runCli('lxc', args, this.env)).trim();
    }
  }

  /** A project sharing the default project's images and profiles (as `lxc project create` with features off). */
  async createProject(name: string): Promise<void> {
    await this.lxc('project', 'create', name, '-c', 'features.images=false', '-c', 'features.profiles=false');
  }

  /** The server certificate (PEM) clients pin over HTTPS. */
  serverCertificate(): Promise<string> {
    return readFile(path.join(this.dir, 'server.crt'), 'utf8');
  }

  /** Stops the daemon (instances keep their state on disk) and starts it again on the same directory. */
  async restart(): Promise<void> {
    await this.shutdown();
    await this.startDaemon();
    // Back as it was, its image included: once, in CI, `lxc init busybox` right after a restart
    // answered "Image not found" (the same command passed before the restart, and in other runs).
    if (this.imported) {
      const listed = async (): Promise<boolean> => (await this.lxc('image', 'list', '--format', 'csv', '-c', 'l')).includes('busybox');
      await waitFor(listed, 20_000, 'the busybox image listed after the LXD restart');
    }
  }

  /** Stops the daemon, leaving the directory for a restart(). */
  async shutdown(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    await run('lxd', ['shutdown', '--timeout', '30'], { env: this.env, timeout: 40_000 }).catch(() => p.kill('SIGKILL'));
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    live.delete(p);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await this.shutdown();
    } finally {
      // Even when the shutdown failed: LXD's tmpfs mounts (devlxd, shmounts) would pin the directory.
      this.proc?.kill('SIGKILL');
      await unmountUnder(this.dir);
      await rm(this.dir, { recursive: true, force: true });
    }
  }

  private async startDaemon(): Promise<void> {
    const p = spawn('lxd', ['--group', 'root', '--logfile', path.join(this.dir, 'lxd.log')], { env: this.env, stdio: 'ignore' });
    live.add(p);
    this.proc = p;
    p.once('exit', () => live.delete(p));
    await run('lxd', ['waitready', '--timeout', '60'], { env: this.env, timeout: 70_000 });
    await waitFor(() => canConnect(this.socket), 10_000, 'the LXD unix socket');
  }
}

/** Unmounts whatever LXD left mounted below dir (deepest first), so the directory can be removed. */
async function unmountUnder(dir: string): Promise<void> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const points = info
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of points) await run('umount', ['-l', m]).catch(() => undefined);
}

/**
 * A bootable busybox image (unified tarball: metadata.yaml + rootfs/), built once per content of
 * the busybox binary and cached under the temp dir; written to a temp name and renamed, so test
 * files building it in parallel never see a half-written tarball.
 */
export async function busyboxImage(): Promise<string> {
  const metadata =
    'architecture: x86_64\ncreation_date: 1700000000\nproperties:\n  description: Mooring test image (busybox)\n  os: busybox\n';
  const key = createHash('sha256')
    .update(await readFile(BUSYBOX))
    .update(metadata)
    .digest('hex')
    .slice(0, 16);
  const target = path.join(tmpdir(), `mooring-busybox-${key}.tar.gz`);
  if (existsSync(target)) return target;
  const work = await mkdtemp(path.join(tmpdir(), 'mooring-busybox-build-'));
  try {
    const root = path.join(work, 'rootfs');
    for (const d of ['bin', 'sbin', 'proc', 'sys', 'dev', 'tmp', 'run', 'etc']) await mkdir(path.join(root, d), { recursive: true });
    await copyFile(BUSYBOX, path.join(root, 'bin', 'busybox'));
    for (const l of ['sh', 'init', 'sleep']) await symlink('busybox', path.join(root, 'bin', l));
    await symlink('../bin/busybox', path.join(root, 'sbin', 'init'));
    await writeFile(path.join(work, 'metadata.yaml'), metadata);
    const partial = `${target}.${process.pid}.tmp`;
    await run('tar', ['-C', work, '--numeric-owner', '--owner=0', '--group=0', '-czf', partial, 'metadata.yaml', 'rootfs']);
    await rename(partial, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return target;
}

/**
 * Runs a CLI with stdin closed (lxc launch/init read instance YAML from a stdin that is not a
 * terminal, and would wait forever on a pipe), bounded by timeoutMs; rejects with its stderr.
 */
export function runCli(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.once('error', reject);
    p.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${err.trim()}`));
    });
  });
}
