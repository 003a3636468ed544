// Starts OVN in a temporary directory (shared/reference/real-components.md, "OVN on this machine"):
// OVN central — the NB and SB ovsdb-servers, each on its own unix socket (and a loopback TCP remote
// when asked), plus ovn-northd — and OvnChassis smartNICs, each its own ovsdb-server + ovs-vswitchd
// on the dummy datapath (test/harness/ovs.ts, own OVS_RUNDIR) with br-int and an ovn-controller.
// stop() is idempotent, a process exit hook kills whatever is still running, and the NB server can
// be killed and restarted on the same socket (and TCP port) for fault tests.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OvsInstance, canConnect, waitFor } from './ovs.js';

const run = promisify(execFile);
const NB_SCHEMA = '/usr/share/ovn/ovn-nb.ovsschema';
const SB_SCHEMA = '/usr/share/ovn/ovn-sb.ovsschema';
/** A loopback address of its own for the pssl remote, so its log line differs from ptcp's. */
const SSL_ADDRESS = '127.0.0.2';
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface OvnCentralOptions {
  /** Also listen on a loopback TCP port for NB (tcpNbRemote). */
  nbTcp?: boolean;
  /** Also listen with mutual TLS for NB on 127.0.0.2 (sslNbRemote), with these PEM files. */
  nbSsl?: { privateKey: string; certificate: string; caCert: string };
  /** Keep the temp dir for inspection. */
  keep?: boolean;
}

type Db = 'nb' | 'sb';

/** What ovn-trace decided for one microflow. */
export type TraceVerdict = { kind: 'delivered'; to: string[] } | { kind: 'dropped'; stage: string };

export class OvnCentral {
  private readonly servers: Partial<Record<Db, ChildProcess>> = {};
  private northd: ChildProcess | undefined;
  private readonly chassis: OvnChassis[] = [];
  /** Chassis numbers handed out so far: taken before the first await, so chassis started side by side get distinct encap IPs. */
  private chassisCount = 0;
  private stopped = false;
  nbTcpPort = 0;
  nbSslPort = 0;

  private constructor(
    readonly dir: string,
    private readonly options: OvnCentralOptions,
  ) {}

  static async start(options: OvnCentralOptions = {}): Promise<OvnCentral> {
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-ovn-'));
    const ovn = new OvnCentral(dir, options);
    try {
      await Promise.all([
        run('ovsdb-tool', ['create', path.join(dir, 'nb.db'), NB_SCHEMA]),
        run('ovsdb-tool', ['create', path.join(dir, 'sb.db'), SB_SCHEMA]),
      ]);
      await Promise.all([ovn.startDb('nb'), ovn.startDb('sb')]);
      ovn.northd = ovn.spawnDaemon('ovn-northd', [
        `--ovnnb-db=${ovn.nbRemote}`,
        `--ovnsb-db=${ovn.sbRemote}`,
        `--unixctl=${path.join(dir, 'northd.ctl')}`,
        `--log-file=${path.join(dir, 'northd.log')}`,
        '--no-chdir',
      ]);
    } catch (err) {
      await ovn.stop();
      throw err;
    }
    return ovn;
  }

  get nbSock(): string {
    return path.join(this.dir, 'nb.sock');
  }

  get sbSock(): string {
    return path.join(this.dir, 'sb.sock');
  }

  get nbRemote(): string {
    return `unix:${this.nbSock}`;
  }

  get sbRemote(): string {
    return `unix:${this.sbSock}`;
  }

  get tcpNbRemote(): string {
    return `tcp:127.0.0.1:${this.nbTcpPort}`;
  }

  get sslNbRemote(): string {
    return `ssl:${SSL_ADDRESS}:${this.nbSslPort}`;
  }

  get env(): NodeJS.ProcessEnv {
    const d = this.dir;
    return { ...process.env, OVS_RUNDIR: d, OVS_LOGDIR: d, OVS_DBDIR: d, OVN_RUNDIR: d, OVN_LOGDIR: d, OVN_DBDIR: d };
  }

  /** ovn-nbctl against NB (10 s bound). */
  async nbctl(...args: string[]): Promise<string> {
    const { stdout } = await run('ovn-nbctl', [`--db=${this.nbRemote}`, '--timeout=10', ...args], { env: this.env });
    return stdout.trim();
  }

  async sbctl(...args: string[]): Promise<string> {
    const { stdout } = await run('ovn-sbctl', [`--db=${this.sbRemote}`, '--timeout=10', ...args], { env: this.env });
    return stdout.trim();
  }

  /** One column of every row of an NB table matching the given `find` conditions (ovn-nbctl --bare). */
  async nbFind(table: string, column: string, ...conditions: string[]): Promise<string[]> {
    const out = await this.nbctl('--bare', '--format=csv', '--no-headings', `--columns=${column}`, 'find', table, ...conditions);
    return out === '' ? [] : out.split('\n').map((l) => l.replace(/^"|"$/g, ''));
  }

  /**
   * Traces one microflow entering `switchName` with ovn-trace after northd has caught up. Passes
   * --no-friendly-names (UUID port names stay whole) and --ct=new twice (stateful ACLs see a new
   * connection on both conntrack passes).
   */
  async trace(switchName: string, microflow: string): Promise<TraceVerdict> {
    await this.nbctl('--wait=sb', 'sync');
    const { stdout } = await run(
      'ovn-trace',
      [`--db=${this.sbRemote}`, '--no-friendly-names', '--ct=new', '--ct=new', switchName, microflow],
      { env: this.env, timeout: 10_000 },
    );
    return parseTrace(stdout);
  }

  /** Starts a smartNIC: its own OVS with br-int and an ovn-controller with this chassis name. */
  async addChassis(name: string): Promise<OvnChassis> {
    const c = await OvnChassis.start(this, name, ++this.chassisCount);
    this.chassis.push(c);
    return c;
  }

  /**
   * Runs ovn-controller against an OVS that something else started and keeps (a SimulatedHost's
   * smartNIC): the chassis's stop() stops the controller only, never that OVS. `encapIp`: the
   * Geneve tunnels' address on that OVS (an underlay's, test/harness/ovs-underlay.ts) instead of a
   * loopback one of its own.
   */
  async attachChassis(name: string, ovs: OvsInstance, options: { encapIp?: string } = {}): Promise<OvnChassis> {
    const c = await OvnChassis.start(this, name, ++this.chassisCount, ovs, options.encapIp);
    this.chassis.push(c);
    return c;
  }

  /** SIGKILLs the NB ovsdb-server (the database file stays). */
  async killNb(): Promise<void> {
    await stopProcess(this.servers.nb, 'SIGKILL');
    this.servers.nb = undefined;
  }

  /** Starts the NB ovsdb-server again on the same file, socket and TCP port. */
  async restartNb(): Promise<void> {
    await this.startDb('nb');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const c of this.chassis) await c.stop();
    await stopProcess(this.northd, 'SIGTERM');
    await Promise.all([stopProcess(this.servers.nb, 'SIGTERM'), stopProcess(this.servers.sb, 'SIGTERM')]);
    if (!this.options.keep) await rm(this.dir, { recursive: true, force: true });
  }

  /** @internal Spawns a daemon that the exit hook kills if the test run dies. */
  spawnDaemon(cmd: string, args: string[], env: NodeJS.ProcessEnv = this.env): ChildProcess {
    const child = spawn(cmd, args, { env, stdio: 'ignore' });
    live.add(child);
    child.once('exit', () => live.delete(child));
    return child;
  }

  private async startDb(db: Db): Promise<void> {
    const sock = db === 'nb' ? this.nbSock : this.sbSock;
    const log = path.join(this.dir, `${db}.log`);
    const ssl = db === 'nb' ? this.options.nbSsl : undefined;
    const extra = [
      ...(db === 'nb' && this.options.nbTcp ? [`--remote=ptcp:${this.nbTcpPort}:127.0.0.1`] : []),
      ...(ssl
        ? [
            `--remote=pssl:${this.nbSslPort}:${SSL_ADDRESS}`,
            `--private-key=${ssl.privateKey}`,
            `--certificate=${ssl.certificate}`,
            `--ca-cert=${ssl.caCert}`,
          ]
        : []),
    ];
    this.servers[db] = this.spawnDaemon('ovsdb-server', [
      path.join(this.dir, `${db}.db`),
      `--remote=punix:${sock}`,
      ...extra,
      `--unixctl=${path.join(this.dir, `${db}.ctl`)}`,
      `--log-file=${log}`,
      '--no-chdir',
    ]);
    const server = this.servers[db];
    await waitFor(
      async () => {
        if (server.exitCode !== null) throw new Error(`ovsdb-server for ${db} exited with ${server.exitCode}; see ${log}`);
        if (!(await canConnect(sock))) return false;
        if (db !== 'nb') return true;
        // ptcp:0 and pssl:0 log "ADDRESS: listening on port N"; the address tells them apart.
        if (this.options.nbTcp && this.nbTcpPort === 0) this.nbTcpPort = await listeningPort(log, '0:127.0.0.1');
        if (ssl && this.nbSslPort === 0) this.nbSslPort = await listeningPort(log, `0:${SSL_ADDRESS}`);
        return (!this.options.nbTcp || this.nbTcpPort !== 0) && (!ssl || this.nbSslPort !== 0);
      },
      10_000,
      `the ${db} ovsdb-server to listen`,
    );
  }
}

/** One smartNIC running ovn-controller: its own ovsdb-server + ovs-vswitchd (dummy datapath) and br-int. */
export class OvnChassis {
  private controller: ChildProcess | undefined;
  private stopped = false;

  private constructor(
    readonly name: string,
    readonly ovs: OvsInstance,
    private readonly central: OvnCentral,
    private readonly ownsOvs: boolean,
  ) {}

  /** @internal Use OvnCentral.addChassis (own OVS) or attachChassis (an OVS given). */
  static async start(central: OvnCentral, name: string, index: number, given?: OvsInstance, encapIp?: string): Promise<OvnChassis> {
    const ovs = given ?? (await OvsInstance.start({ bridge: 'br-int' }));
    const chassis = new OvnChassis(name, ovs, central, given === undefined);
    try {
      // ovn-controller would create a missing br-int with the system datapath, which the dummy-only
      // ovs-vswitchd refuses.
      if (given) await ovs.vsctl('--may-exist', 'add-br', 'br-int', '--', 'set', 'Bridge', 'br-int', 'datapath_type=netdev');
      // SB Encap has a unique (type, ip) index: each chassis needs its own encap address.
      await ovs.vsctl(
        'set',
        'Open_vSwitch',
        '.',
        `external_ids:system-id=${name}`,
        `external_ids:ovn-remote=${central.sbRemote}`,
        'external_ids:ovn-encap-type=geneve',
        `external_ids:ovn-encap-ip=${encapIp ?? `127.0.0.${10 + index}`}`,
      );
      await chassis.startController();
    } catch (err) {
      await chassis.stop();
      throw err;
    }
    return chassis;
  }

  get env(): NodeJS.ProcessEnv {
    const d = this.ovs.dir;
    return { ...this.ovs.env, OVN_RUNDIR: d, OVN_LOGDIR: d, OVN_DBDIR: d };
  }

  /** Starts ovn-controller and waits until it has registered its Chassis row in SB. */
  async startController(): Promise<void> {
    // ovn-controller has no --unixctl: OVN_RUNDIR (the chassis's own dir) keeps its socket apart.
    this.controller = this.central.spawnDaemon(
      'ovn-controller',
      [this.ovs.unixRemote, `--log-file=${path.join(this.ovs.dir, 'ovn-controller.log')}`, '--no-chdir'],
      this.env,
    );
    const proc = this.controller;
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`ovn-controller ${this.name} exited with ${proc.exitCode}`);
        return (await this.central.sbctl('--bare', '--columns=name', 'find', 'Chassis', `name=${this.name}`)) === this.name;
      },
      10_000,
      `ovn-controller ${this.name} to register its chassis`,
    );
  }

  async stopController(): Promise<void> {
    await stopProcess(this.controller, 'SIGTERM');
    this.controller = undefined;
  }

  /** Plugs a port into br-int whose iface-id is the LSP name, as the agent does for a machine's port. */
  async bind(port: string, lspName: string): Promise<void> {
    await this.ovs.vsctl('add-port', 'br-int', port, '--', 'set', 'Interface', port, 'type=internal', `external_ids:iface-id=${lspName}`);
  }

  async unbind(port: string): Promise<void> {
    await this.ovs.vsctl('--if-exists', 'del-port', 'br-int', port);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopProcess(this.controller, 'SIGTERM');
    if (this.ownsOvs) await this.ovs.stop();
  }
}

/**
 * Reads ovn-trace's detailed output: every `output to "<lsp>"` line is a delivery; with none, the
 * packet was dropped by the stage printed last before the `drop;` action (e.g. ls_out_acl).
 */
export function parseTrace(text: string): TraceVerdict {
  const to = [...text.matchAll(/output to "([^"]+)"/g)].map((m) => m[1]!);
  if (to.length > 0) return { kind: 'delivered', to };
  const lines = text.split('\n');
  const dropAt = lines.findIndex((l) => l.trim() === 'drop;');
  const before = dropAt < 0 ? lines : lines.slice(0, dropAt);
  const stage = before
    .map((l) => /^\s*\d+\.\s+([a-z_0-9]+)\s/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined)
    .at(-1);
  return { kind: 'dropped', stage: stage ?? 'unknown' };
}

async function listeningPort(logFile: string, address: string): Promise<number> {
  if (!existsSync(logFile)) return 0;
  for (const m of (await readFile(logFile, 'utf8')).matchAll(/\|([^|\s]+): listening on port (\d+)/g)) {
    if (m[1] === address) return Number(m[2]);
  }
  return 0;
}

async function stopProcess(p: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill(signal);
  const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
