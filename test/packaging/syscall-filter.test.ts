// The units' SystemCallFilter= against what the daemons really call: the coordinator and an agent
// run under `strace -f` (so their children count too: the notification sender, ovs-vswitchd
// --version), through a whole life as systemd would see it: start, enrollment, the mTLS session,
// READY=1, watchdog pings, SIGTERM, STOPPING=1. Every system call made must be in the unit's
// allow-list as this machine's systemd expands it (`systemd-analyze syscall-filter`); one that is
// not would fail with EPERM under the unit. The same traces check RestrictAddressFamilies= (the
// sockets made), ProtectSystem=strict (the files written), ProtectProc=invisible (no /proc entry of
// a process outside the daemon's own tree is looked at) and PrivateMounts=yes (nothing mounts).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_MAIN } from '../harness/agent-process.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { COORDINATOR_MAIN } from '../harness/coordinator-process.js';
import { NotifySocket } from '../harness/notify-socket.js';
import { OvsInstance } from '../harness/ovs.js';
import { readUnit, single, words, type UnitFile } from './unit-file.js';

const run = promisify(execFile);
let dir: string;
let ovs: OvsInstance;
const children: ChildProcess[] = [];
const sockets: NotifySocket[] = [];

/** Every system call a filter allows, with its @groups expanded as systemd-analyze lists them. */
async function allowed(filter: readonly string[]): Promise<Set<string>> {
  const { stdout } = await run('systemd-analyze', ['syscall-filter']);
  const groups = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@')) groups.set(line.trim(), (current = []));
    else if (line.trim() && !line.trim().startsWith('#')) current?.push(line.trim());
  }
  const names = new Set<string>();
  const add = (entry: string): void => {
    if (!entry.startsWith('@')) names.add(entry);
    else for (const member of groups.get(entry) ?? []) add(member);
  };
  filter.forEach(add);
  return names;
}

const service = (unit: UnitFile, key: string): string => single(unit, 'Service', key);

interface TraceSummary {
  /** Every system call made, by name. */
  calls: Set<string>;
  /** The address families of the sockets created. */
  families: Set<string>;
  /** Paths opened for writing, created, renamed, removed or re-moded. */
  written: Set<string>;
  /** The process ids of the traced tree: the daemon and every child it started. */
  pids: Set<string>;
  /** The process ids named in /proc/PID/... paths any call was given. */
  procPids: Set<string>;
}

const OPEN_FOR_WRITING = /(?:open|openat|creat)\(.*O_(?:WRONLY|RDWR|CREAT|TRUNC)/;
const CHANGING_CALLS = ['mkdir', 'mkdirat', 'rename', 'renameat', 'renameat2', 'unlink', 'unlinkat', 'rmdir', 'chmod', 'fchmodat']
  .concat(['chown', 'fchownat', 'truncate', 'link', 'linkat', 'symlink', 'symlinkat'])
  .join('|');
const WRITING = new RegExp(`^\\d+\\s+(?:${OPEN_FOR_WRITING.source}|(?:${CHANGING_CALLS})\\()`);

/** What an `strace -f` log shows. */
async function traced(file: string): Promise<TraceSummary> {
  const summary: TraceSummary = { calls: new Set(), families: new Set(), written: new Set(), pids: new Set(), procPids: new Set() };
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const pid = /^(\d+)\s/.exec(line)?.[1];
    if (pid) summary.pids.add(pid);
    for (const m of line.matchAll(/"\/proc\/(\d+)(?:\/[^"]*)?"/g)) summary.procPids.add(m[1]!);
    const m = /^\d+\s+(?:<\.\.\. ([a-z0-9_]+) resumed>|([a-z0-9_]+)\()/.exec(line);
    const name = m?.[1] ?? m?.[2];
    if (name) summary.calls.add(name);
    const family = /^\d+\s+socket\((AF_[A-Z0-9]+)/.exec(line)?.[1];
    if (family) summary.families.add(family);
    const target = WRITING.test(line) ? /"([^"]*)"/.exec(line)?.[1] : undefined;
    if (target !== undefined) summary.written.add(target);
  }
  return summary;
}

interface Traced {
  receiver: NotifySocket;
  trace: string;
  exited: Promise<number | null>;
  /** SIGTERM to the daemon itself (strace's tracee: the parent of the notification sender). */
  stop(): Promise<void>;
}

async function startTraced(name: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Traced> {
  const receiver = await NotifySocket.listen(path.join(dir, `${name}.sock`));
  sockets.push(receiver);
  const trace = path.join(dir, `${name}.trace`);
  const child = spawn('strace', ['-f', '-qq', '-o', trace, process.execPath, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env, ...receiver.env(1_000_000) },
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    receiver,
    trace,
    exited,
    async stop() {
      const sender = receiver.messages[0]?.pid;
      const status = await readFile(`/proc/${sender}/status`, 'utf8');
      process.kill(Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]), 'SIGTERM');
      await receiver.waitFor((m) => m.fields['STOPPING'] === '1', 60_000, `${name}: STOPPING=1`);
      expect(await exited, stderr).toBe(0);
    },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-syscalls-'));
  ovs = await OvsInstance.start();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of sockets) s.close();
  await ovs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('SystemCallFilter=', () => {
  it('expands groups as systemd does', async () => {
    const service = await allowed(['@system-service']);
    expect(service.has('openat')).toBe(true); // @file-system, nested
    expect(service.has('reboot')).toBe(false);
    expect(service.has('pkey_alloc')).toBe(false);
    expect((await allowed(['@system-service', '@pkey'])).has('pkey_alloc')).toBe(true);
  });

  it("notices, in a trace, a look at another process's /proc entry and a mount call", async () => {
    // The checks below find nothing in the daemons' traces; this shows they would. cat reads
    // init's /proc entry, which ProtectProc=invisible hides from a service not running as root.
    const trace = path.join(dir, 'cat.trace');
    await run('strace', ['-f', '-qq', '-o', trace, 'cat', '/proc/1/comm']);
    const seen = await traced(trace);
    expect([...seen.procPids].filter((p) => !seen.pids.has(p))).toEqual(['1']);
    const mounting = await allowed(['@mount']);
    expect([...mounting].filter((c) => ['mount', 'umount2', 'fsmount', 'move_mount'].includes(c)).sort()).toEqual([
      'fsmount',
      'mount',
      'move_mount',
      'umount2',
    ]);
  });

  it('allows every system call the coordinator and the agent make, start to stop', async () => {
    const coordDir = path.join(dir, 'coord');
    const coord = await startTraced('coordinator', [
      COORDINATOR_MAIN,
      '--data-dir',
      coordDir,
      '--listen',
      '127.0.0.1:0',
      '--metrics-listen',
      '127.0.0.1:0',
      '--console-listen',
      '127.0.0.1:0',
      '--log-level',
      'warn',
    ]);
    const ready = await coord.receiver.waitFor((m) => m.fields['READY'] === '1', 90_000, 'coordinator READY=1');
    const address = /listening on (\S+),/.exec(ready.fields['STATUS'] ?? '')?.[1] ?? '';
    const caFile = path.join(coordDir, 'ca.crt');
    const env = {
      MOORING_COORDINATOR: address,
      MOORING_TOKEN: (await readFile(path.join(coordDir, 'admin.token'), 'utf8')).trim(),
      MOORING_CA: caFile,
    };
    const created = await moorctl(['--json', 'agent', 'token', 'create', '--name', 'nic-traced', '--ttl', '10m'], env);
    expect(created.stderr).toBe('');
    const tokenFile = path.join(dir, 'agent.token');
    await writeFile(tokenFile, (JSON.parse(created.stdout) as { token: string }).token, { mode: 0o600 });

    const agentArgs = ['run', '--data-dir', path.join(dir, 'agent'), '--ovsdb-remote', ovs.unixRemote, '--status-listen', '127.0.0.1:0'];
    agentArgs.push(
      '--datapath-type',
      'netdev',
      '--coordinator',
      address,
      '--ca-file',
      caFile,
      '--token-file',
      tokenFile,
      '--name',
      'nic-traced',
      '--log-level',
      'warn',
    );
    const agent = await startTraced('agent', [AGENT_MAIN, ...agentArgs]);
    const agentReady = await agent.receiver.waitFor((m) => m.fields['READY'] === '1', 90_000, 'agent READY=1');
    await agent.receiver.waitFor(
      (m) => agent.receiver.messages.indexOf(m) > agent.receiver.messages.indexOf(agentReady) && m.raw === 'WATCHDOG=1',
      30_000,
      'an agent watchdog ping',
    );
    await agent.stop();
    await coord.stop();

    const daemons = [
      { unitName: 'mooring-agent.service', trace: agent.trace, dataDir: path.join(dir, 'agent') },
      { unitName: 'mooring-coordinator.service', trace: coord.trace, dataDir: coordDir },
    ];
    const mounting = await allowed(['@mount']);
    expect(mounting.has('mount')).toBe(true);
    for (const { unitName, trace, dataDir } of daemons) {
      const unit = readUnit(unitName);
      const permitted = await allowed(words(unit, 'Service', 'SystemCallFilter'));
      const seen = await traced(trace);
      expect(seen.calls.size).toBeGreaterThan(40); // the trace really holds the daemon's life
      expect({ unit: unitName, outside: [...seen.calls].filter((c) => !permitted.has(c)).sort() }).toEqual({ unit: unitName, outside: [] });
      // RestrictAddressFamilies= holds every socket made.
      expect([...seen.families].filter((f) => !words(unit, 'Service', 'RestrictAddressFamilies').includes(f))).toEqual([]);
      // ProtectSystem=strict: writes only in the data dir (its StateDirectory here) and /dev/null.
      expect([...seen.written].some((p) => p.startsWith(`${dataDir}/`))).toBe(true); // its LMDB, at least
      expect(seen.families.has('AF_UNIX')).toBe(true); // the notification sender's socket, at least
      const writable = (p: string): boolean => p === dataDir || p.startsWith(`${dataDir}/`) || p === '/dev/null';
      expect({ unit: unitName, outside: [...seen.written].filter((p) => !writable(p)) }).toEqual({ unit: unitName, outside: [] });
      // ProtectProc=invisible hides the /proc entries of other users' processes: the daemon looks
      // only at its own tree's (pids in the trace), and at least at one (its own /proc/PID).
      expect(service(unit, 'ProtectProc')).toBe('invisible');
      expect(seen.pids.size).toBeGreaterThan(1); // the notifier child, at least
      expect({ unit: unitName, others: [...seen.procPids].filter((p) => !seen.pids.has(p)) }).toEqual({ unit: unitName, others: [] });
      // PrivateMounts=yes keeps mounts made in the unit from the host: nothing in it mounts.
      expect(service(unit, 'PrivateMounts')).toBe('yes');
      expect([...seen.calls].filter((c) => mounting.has(c))).toEqual([]);
    }
  });
});
