// One VM host for end-to-end tests: a private LXD daemon, OVS, a real coordinator process and a
// real vmhost agent process enrolled with a token, plus moorctl and lxc helpers. Coordinator and
// agent can be killed and started again on the same data (and the coordinator on the same port).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Machine__Output } from '../../proto/generated/index.js';
import { AgentInfos } from './agent-infos.js';
import { AgentProcess } from './agent-process.js';
import { expectJson, moorctl, type CliResult } from './coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from './coordinator-process.js';
import { LxdDaemon } from './lxd.js';
import { OvsInstance, waitFor } from './ovs.js';
import { MachineStatuses } from './smartnic-machine.js';

export interface VmHostLabOptions {
  /**
   * How the agent reaches LXD. Given, LXD also listens on HTTPS and this runs before the agent's
   * first start (e.g. getting a certificate trusted in the agent's data dir); it answers the agent's
   * LXD flags. Default: the unix socket.
   */
  lxdAccess?: (lab: VmHostLab) => Promise<string[]>;
}

export class VmHostLab {
  env: Record<string, string> = {};
  agent: AgentProcess | undefined;
  private lxdArgs: string[] | undefined;
  // The waits read over one gRPC connection each (a look through moorctl is a Node process).
  private readonly statuses = new MachineStatuses(() => this.coord);
  private readonly agentInfos = new AgentInfos(() => this.coord);

  private constructor(
    readonly dir: string,
    readonly lxd: LxdDaemon,
    readonly ovs: OvsInstance,
    public coord: CoordinatorProcess,
    readonly agentName: string,
  ) {}

  static async start(agentName = 'lx1', options: VmHostLabOptions = {}): Promise<VmHostLab> {
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-vmhost-'));
    const [lxd, ovs] = await Promise.all([LxdDaemon.start({ https: options.lxdAccess !== undefined }), OvsInstance.start()]);
    const coord = await startCoordinatorProcess(path.join(dir, 'coord'), { logLevel: 'warn' });
    const lab = new VmHostLab(dir, lxd, ovs, coord, agentName);
    try {
      await writeFile(lab.caFile, coord.caPem);
      lab.useCoordinator(coord);
      const { token } = await lab.json<{ token: string }>('agent', 'token', 'create', '--name', agentName, '--role', 'vmhost');
      if (options.lxdAccess) lab.lxdArgs = await options.lxdAccess(lab);
      await lab.startAgent(token);
    } catch (error) {
      await lab.stop();
      throw error;
    }
    return lab;
  }

  /** The agent's data directory (its LXD credentials live in lxd/ below it). */
  get agentDir(): string {
    return path.join(this.dir, 'agent');
  }

  get caFile(): string {
    return path.join(this.dir, 'ca.crt');
  }

  ctl(...args: string[]): Promise<CliResult> {
    return moorctl(args, this.env);
  }

  async json<T>(...args: string[]): Promise<T> {
    return (await expectJson(this.ctl('--json', ...args))) as T;
  }

  /** The machine by id or hostname, or null when there is none. */
  async machine(name: string): Promise<Machine__Output | null> {
    const r = await this.ctl('--json', 'machine', 'show', name);
    return r.code === 0 ? (JSON.parse(r.stdout) as Machine__Output) : null;
  }

  waitForMachine(name: string, status: string, timeoutMs = 30_000): Promise<void> {
    // A machine not there yet (NOT_FOUND) is not there in that status yet either.
    return waitFor(async () => (await this.statuses.of(name).catch(() => '')) === status, timeoutMs, `${name} ${status}`);
  }

  /** Instance names in an LXD project, sorted. */
  async instances(project: string): Promise<string[]> {
    return (await this.lxdInstances(project)).map((i) => i.name).sort();
  }

  /** LXD's status of one instance ('missing' when there is none). */
  async status(project: string, name: string): Promise<string> {
    return (await this.lxdInstances(project)).find((i) => i.name === name)?.status ?? 'missing';
  }

  /** Starts the agent (enrolling with `token` the first time) and waits until it is ONLINE. */
  async startAgent(token?: string): Promise<AgentProcess> {
    this.agent = await AgentProcess.start({
      dataDir: this.agentDir,
      ovsdbRemote: this.ovs.unixRemote,
      coordinator: this.coord.address,
      caFile: this.caFile,
      token,
      name: this.agentName,
      role: 'vmhost',
      heartbeat: '1s',
      reconnectMax: '1s',
      datapathType: 'netdev',
      extraArgs: [...(this.lxdArgs ?? ['--lxd-socket', this.lxd.socket]), '--lxd-stop-grace', '1s'],
    });
    await this.waitForAgentOnline();
    return this.agent;
  }

  waitForAgentOnline(): Promise<void> {
    return waitFor(async () => (await this.agentInfos.of(this.agentName))?.state === 'ONLINE', 30_000, `${this.agentName} ONLINE`);
  }

  /** kill -9 of the coordinator, then a new process on the same data dir and port. */
  async restartCoordinator(whileDown: () => Promise<void> = () => Promise.resolve()): Promise<void> {
    const port = this.coord.port;
    await this.coord.kill('SIGKILL');
    await whileDown();
    this.useCoordinator(await startCoordinatorProcess(path.join(this.dir, 'coord'), { logLevel: 'warn', port }));
  }

  async stop(): Promise<void> {
    this.statuses.close();
    this.agentInfos.close();
    await this.agent?.kill('SIGKILL');
    await this.coord.kill('SIGKILL');
    await Promise.all([this.lxd.stop(), this.ovs.stop()]);
    await rm(this.dir, { recursive: true, force: true });
  }

  private useCoordinator(coord: CoordinatorProcess): void {
    this.coord = coord;
    this.env = { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: this.caFile };
  }

  private async lxdInstances(project: string): Promise<{ name: string; status: string }[]> {
    return JSON.parse(await this.lxd.lxc('list', '--project', project, '--format', 'json')) as { name: string; status: string }[];
  }
}
