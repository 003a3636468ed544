// Starts a private ovsdb-server plus ovs-vswitchd on the dummy datapath (or, with `netns`, the real
// userspace datapath inside a network namespace) in a temporary directory
// (shared/reference/real-components.md) and stops everything it started, even when a test fails:
// stop() is idempotent and a process exit hook kills whatever is still running.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface OvsOptions {
  /** Start ovs-vswitchd too (default true). */
  vswitchd?: boolean;
  /** Create this bridge with datapath_type netdev (default none). */
  bridge?: string;
  /** Extra ovsdb-server arguments, e.g. a pssl remote with its key files. */
  extraServerArgs?: string[];
  /** Keep the temp dir for inspection. */
  keep?: boolean;
  /**
   * Run ovs-vswitchd with the real userspace (netdev) datapath instead of the dummy one, inside this
   * network namespace: its netdev bridges then forward real frames between tap and veth ports, and
   * the taps it creates itself (the datapath's "ovs-netdev", one per bridge) stay out of the host's
   * namespace, so several such switches run side by side (test/harness/ovs-netdev-smartnic.ts).
   */
  netns?: string;
}

export class OvsInstance {
  private server: ChildProcess | undefined;
  private vswitchd: ChildProcess | undefined;
  tcpPort = 0;

  private constructor(
    readonly dir: string,
    private readonly options: OvsOptions,
  ) {}

  static async start(options: OvsOptions = {}): Promise<OvsInstance> {
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-ovs-'));
    const ovs = new OvsInstance(dir, options);
    try {
      await run('ovsdb-tool', ['create', path.join(dir, 'conf.db'), SCHEMA]);
      await ovs.startServer();
      await ovs.vsctl('--no-wait', 'init');
      if (options.vswitchd !== false) await ovs.startVswitchd();
      // Without ovs-vswitchd, ovs-vsctl must not wait for cur_cfg (it would until its --timeout).
      const wait = options.vswitchd === false ? ['--no-wait'] : [];
      if (options.bridge) await ovs.vsctl(...wait, 'add-br', options.bridge, '--', 'set', 'Bridge', options.bridge, 'datapath_type=netdev');
    } catch (err) {
      await ovs.stop();
      throw err;
    }
    return ovs;
  }

  get sock(): string {
    return path.join(this.dir, 'db.sock');
  }

  get unixRemote(): string {
    return `unix:${this.sock}`;
  }

  get tcpRemote(): string {
    return `tcp:127.0.0.1:${this.tcpPort}`;
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, OVS_RUNDIR: this.dir, OVS_LOGDIR: this.dir, OVS_DBDIR: this.dir };
  }

  /** Runs ovs-vsctl against this instance (with a 10 s timeout so a test never hangs). */
  async vsctl(...args: string[]): Promise<string> {
    const { stdout } = await run('ovs-vsctl', [`--db=${this.unixRemote}`, '--timeout=10', ...args], { env: this.env });
    return stdout.trim();
  }

  /** Runs ovs-appctl against this instance's ovs-vswitchd (10 s timeout). */
  async appctl(...args: string[]): Promise<string> {
    const target = path.join(this.dir, 'ovs-vswitchd.ctl');
    const { stdout } = await run('ovs-appctl', ['-t', target, '--timeout=10', ...args], { env: this.env });
    return stdout.trim();
  }

  async startServer(): Promise<void> {
    const logFile = path.join(this.dir, 'ovsdb-server.log');
    const args = [
      path.join(this.dir, 'conf.db'),
      `--remote=punix:${this.sock}`,
      '--remote=ptcp:0:127.0.0.1',
      `--unixctl=${path.join(this.dir, 'ovsdb-server.ctl')}`,
      `--log-file=${logFile}`,
      '--no-chdir',
      ...(this.options.extraServerArgs ?? []),
    ];
    this.server = this.spawnDaemon('ovsdb-server', args);
    await waitFor(async () => (await canConnect(this.sock)) && (await this.readTcpPort()), 10_000, 'ovsdb-server to listen');
  }

  async startVswitchd(): Promise<void> {
    const netns = this.options.netns;
    const args = [
      this.unixRemote,
      ...(netns === undefined ? ['--enable-dummy=override'] : []),
      '--disable-system',
      `--unixctl=${path.join(this.dir, 'ovs-vswitchd.ctl')}`,
      `--log-file=${path.join(this.dir, 'ovs-vswitchd.log')}`,
      '--no-chdir',
    ];
    // `ip netns exec` execs ovs-vswitchd in place: the child's pid is the daemon's.
    this.vswitchd =
      netns === undefined
        ? this.spawnDaemon('ovs-vswitchd', args)
        : this.spawnDaemon('ip', ['netns', 'exec', netns, 'ovs-vswitchd', ...args]);
    await waitFor(() => Promise.resolve(existsSync(path.join(this.dir, 'ovs-vswitchd.ctl'))), 10_000, 'ovs-vswitchd to start');
  }

  /** The pids of the running daemons (ovsdb-server, and ovs-vswitchd once started). */
  get pids(): number[] {
    return [this.server?.pid, this.vswitchd?.pid].filter((pid): pid is number => pid !== undefined);
  }

  /** Stops ovs-vswitchd (SIGTERM, then waits for exit). */
  async stopVswitchd(): Promise<void> {
    await stopProcess(this.vswitchd, 'SIGTERM');
    this.vswitchd = undefined;
  }

  /** Kills ovsdb-server with the given signal and waits for it to exit. */
  async killServer(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await stopProcess(this.server, signal);
    this.server = undefined;
  }

  async stop(): Promise<void> {
    await stopProcess(this.vswitchd, 'SIGTERM');
    await stopProcess(this.server, 'SIGTERM');
    this.vswitchd = this.server = undefined;
    if (!this.options.keep) await rm(this.dir, { recursive: true, force: true });
  }

  private spawnDaemon(cmd: string, args: string[]): ChildProcess {
    const child = spawn(cmd, args, { env: this.env, stdio: 'ignore' });
    live.add(child);
    child.once('exit', () => live.delete(child));
    return child;
  }

  /**
   * Every "listening on port N" line ovsdb-server logged since it last started (one per remote
   * opened with port 0), with the address it names: "0:127.0.0.1" for the ptcp remote, and e.g.
   * "0:127.0.0.2" for a pssl:0:127.0.0.2 remote passed in extraServerArgs.
   */
  async listeningPorts(): Promise<{ address: string; port: number }[]> {
    const logFile = path.join(this.dir, 'ovsdb-server.log');
    if (!existsSync(logFile)) return [];
    const text = await readFile(logFile, 'utf8');
    // The log is appended to across restarts; only lines after the latest "opened log file" count.
    const start = text.lastIndexOf('opened log file');
    const current = start < 0 ? text : text.slice(start);
    return [...current.matchAll(/\|([^|\s]+): listening on port (\d+)/g)].map((m) => ({ address: m[1]!, port: Number(m[2]) }));
  }

  private async readTcpPort(): Promise<boolean> {
    // ovsdb-server logs "0:127.0.0.1: listening on port N" for ptcp:0:127.0.0.1 (list-remotes only
    // repeats ptcp:0). Other port-0 remotes (a pssl one, say) log their own line, so match the address.
    const ports = await this.listeningPorts();
    const tcp = ports.filter((p) => p.address === '0:127.0.0.1').at(-1) ?? ports.at(-1);
    if (!tcp) return false;
    this.tcpPort = tcp.port;
    return true;
  }
}

async function stopProcess(p: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill(signal);
  const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export function canConnect(sockPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path: sockPath });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
