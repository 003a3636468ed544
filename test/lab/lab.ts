// What the lab runs and owns: one private directory (every temp dir of the harness goes inside it,
// through TMPDIR), OVN central (test/harness/ovn.ts), a coordinator process configured with it, and
// simulated machines (test/harness/simulated-host.ts: an ipmi_sim BMC and a smartNIC with its own
// ovsdb-server + ovs-vswitchd and a mooring-agent, later an ovn-controller), all on 127.0.0.1.
// Everything started is registered with a stop action the moment it starts, even while it is still
// starting, so stop() leaves no process and no directory behind, whenever it runs.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { within } from '../../bench/sequence/deadline.js';
import { EventFollower } from '../../bench/sequence/event-follower.js';
import type { BenchEvent } from '../../bench/sequence/timeline.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { freePort } from '../harness/free-port.js';
import { AgentProcess } from '../harness/agent-process.js';
import { LxdDaemon } from '../harness/lxd.js';
import { OvnCentral, type OvnChassis } from '../harness/ovn.js';
import { OvsInstance } from '../harness/ovs.js';
import { SimulatedHost } from '../harness/simulated-host.js';
import { VmDeployFleet, type VmDeployFleetOptions } from '../harness/vm-deploy-fleet.js';
import { OperatorShell } from './operator-shell.js';
import type { Progress } from './progress.js';

export const PORT_ID = 'pf0vf0';
/** Generous bounds: real daemons on a loaded 2-core machine; nothing waits this long when things go right. */
const COORDINATOR_ARGS = ['--agent-session-timeout-ms', '120000', '--port-active-timeout-ms', '120000'];
/**
 * A start still under way when the lab stops (a host waits up to about 35 s for its agent) gets this long to finish, then so does
 * its stop.
 */
const STOP_BOUND_MS = 120_000;

export interface LabMachine {
  readonly hostname: string;
  readonly agentName: string;
  readonly host: SimulatedHost;
  /** The smartNIC agent's status endpoint: a fixed port, so the URL holds across the agent's boots. */
  readonly statusUrl: string;
  /** The BMC password, in a file of mode 0600 (for moorctl --power-password-file and ipmitool -f). */
  readonly bmcPasswordFile: string;
  readonly mac: string;
  machineId: string;
}

/** The VM host: a private LXD daemon (its own LXD_DIR) and a vmhost agent with its own OVS. */
export interface LabVmHost {
  readonly agentName: string;
  readonly lxd: LxdDaemon;
  readonly agent: AgentProcess;
  /** The machine composed on it, once composed. */
  vm: string;
}

export interface LabMember {
  readonly user: string;
  readonly group: string;
  readonly tokenFile: string;
}

/** Console sign-in tokens the lab prints expire after this long (the lab is for a working day). */
export const CONSOLE_TOKEN_SECONDS = 12 * 60 * 60;

export class Lab {
  readonly machines: LabMachine[] = [];
  member: LabMember | undefined;
  /** null: LXD cannot run on this machine (the reason is in vmHostSkipped). */
  vmHost: LabVmHost | null = null;
  vmHostSkipped = '';
  /** The VM chapter's own fleet (OVN, netdev smartNICs on an underlay, a coordinator with its boot service, QEMU VMs), once started. */
  vmFleet: VmDeployFleet | undefined;
  /** MOORING_COORDINATOR, MOORING_CA and MOORING_TOKEN (the admin's) for moorctl, once the coordinator runs. */
  readonly moorctlEnv: Record<string, string> = {};
  readonly shell: OperatorShell;
  /** OVN central (NB, SB, northd), started before the coordinator so it runs with OVN from the beginning. */
  ovn: OvnCentral | undefined;
  private coordinatorProcess: CoordinatorProcess | undefined;
  private client: CoordinatorClient | undefined;
  private follower: EventFollower | undefined;
  private readonly stops: (() => Promise<void>)[] = [];
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    readonly progress: Progress,
  ) {
    this.shell = new OperatorShell(progress, this.moorctlEnv);
  }

  /** A lab in a new private directory; the harness's own temp dirs (OVS, ipmi_sim) go inside it. */
  static async create(progress: Progress): Promise<Lab> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mooring-lab-'));
    process.env['TMPDIR'] = dir;
    return new Lab(dir, progress);
  }

  get coordinator(): CoordinatorProcess {
    if (!this.coordinatorProcess) throw new Error('the coordinator is not running');
    return this.coordinatorProcess;
  }

  get caFile(): string {
    return path.join(this.dir, 'coordinator', 'ca.crt');
  }

  get adminTokenFile(): string {
    return path.join(this.dir, 'coordinator', 'admin.token');
  }

  get events(): EventFollower {
    if (!this.follower) throw new Error('the coordinator is not running');
    return this.follower;
  }

  /** Starts OVN central, then the coordinator with OVN_Northbound and OVN_Southbound configured. */
  async startCoordinator(): Promise<CoordinatorProcess> {
    const ovn = await this.adopt(
      () => OvnCentral.start(),
      (o) => o.stop(),
    );
    this.ovn = ovn;
    const ovnArgs = ['--ovn-northbound', ovn.nbRemote, '--ovn-southbound', ovn.sbRemote];
    const coordinator = await this.adopt(
      () => startCoordinatorProcess(path.join(this.dir, 'coordinator'), { logLevel: 'warn', extraArgs: [...COORDINATOR_ARGS, ...ovnArgs] }),
      (c) => stopCoordinator(c),
    );
    this.coordinatorProcess = coordinator;
    Object.assign(this.moorctlEnv, {
      MOORING_COORDINATOR: coordinator.address,
      MOORING_CA: this.caFile,
      MOORING_TOKEN: coordinator.adminToken,
    });
    const client = new CoordinatorClient({
      address: coordinator.address,
      token: coordinator.adminToken,
      caPem: coordinator.caPem,
      timeoutMs: 30_000,
    });
    this.client = client;
    this.follower = new EventFollower(client);
    this.stops.push(async () => {
      await this.follower?.close();
      client.close();
    });
    return coordinator;
  }

  /** A simulated machine whose smartNIC agent enrolls with `token`, then left powered `power`. */
  async startMachine(index: number, token: string, power: 'on' | 'off'): Promise<LabMachine> {
    const hostname = `node-${index}`;
    const agentName = `dpu-${index}`;
    const dir = path.join(this.dir, 'hosts', hostname);
    const statusPort = await freePort();
    const host = await this.adopt(
      () =>
        SimulatedHost.start({
          agentName,
          dir,
          coordinator: this.coordinator.address,
          caPem: this.coordinator.caPem,
          token,
          power,
          heartbeat: '2s',
          ...(this.ovn ? { ovn: { remote: this.ovn.sbRemote, chassis: agentName } } : {}),
          agentArgs: ['--status-listen', `127.0.0.1:${statusPort}`, '--log-level', 'info'],
        }),
      (h) => h.stop(),
    );
    const bmcPasswordFile = path.join(dir, 'bmc.password');
    await writeFile(bmcPasswordFile, `${host.bmc.password}\n`, { mode: 0o600 });
    await chmod(bmcPasswordFile, 0o600);
    const machine: LabMachine = {
      hostname,
      agentName,
      host,
      statusUrl: `http://127.0.0.1:${statusPort}`,
      bmcPasswordFile,
      mac: `52:54:00:6c:61:${index.toString(16).padStart(2, '0')}`,
      machineId: '',
    };
    this.machines.push(machine);
    return machine;
  }

  /**
   * A private LXD daemon and a vmhost agent enrolling with `token`; resolves null (and records why)
   * when LXD cannot run here. The host's own LXD is never touched: the daemon has its own LXD_DIR.
   */
  async startVmHost(agentName: string, token: string): Promise<LabVmHost | null> {
    let lxd: LxdDaemon;
    try {
      lxd = await this.adopt(
        () => LxdDaemon.start(),
        (d) => d.stop(),
      );
    } catch (err) {
      this.vmHostSkipped = `LXD cannot run here: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      return null;
    }
    const ovs = await this.adopt(
      () => OvsInstance.start(),
      (o) => o.stop(),
    );
    const agent = await this.adopt(
      () =>
        AgentProcess.start({
          dataDir: path.join(this.dir, 'hosts', agentName),
          ovsdbRemote: ovs.unixRemote,
          coordinator: this.coordinator.address,
          caFile: this.caFile,
          token,
          name: agentName,
          role: 'vmhost',
          heartbeat: '2s',
          datapathType: 'netdev',
          extraArgs: ['--lxd-socket', lxd.socket, '--lxd-stop-grace', '5s', '--log-level', 'info'],
        }),
      (a) => a.kill('SIGTERM'),
    );
    this.vmHost = { agentName, lxd, agent, vm: '' };
    return this.vmHost;
  }

  /** The VM chapter's machines, each behind a smartNIC of its own (test/harness/vm-deploy-fleet.ts), stopped with the lab. */
  async startVmDeployFleet(options: VmDeployFleetOptions): Promise<VmDeployFleet> {
    this.vmFleet = await this.adopt(
      () => VmDeployFleet.start(options),
      (f) => f.stop(),
    );
    return this.vmFleet;
  }

  /** A real ovn-controller on the machine's smartNIC OVS, its chassis named after the smartNIC. */
  async startOvnController(m: LabMachine): Promise<OvnChassis> {
    const ovn = this.ovn;
    if (!ovn) throw new Error('OVN central is not running');
    return this.adopt(
      () => ovn.attachChassis(m.agentName, m.host.ovs),
      (c) => c.stop(),
    );
  }

  machine(hostname: string): LabMachine {
    const m = this.machines.find((x) => x.hostname === hostname);
    if (!m) throw new Error(`no lab machine ${hostname}`);
    return m;
  }

  /**
   * A console sign-in token for every user the lab made (the bootstrap admin included): made for
   * the console alone, apart from the tokens moorctl uses, and expiring with the lab's working day.
   */
  async consoleSignIns(): Promise<{ user: string; role: string; groups: readonly string[]; token: string }[]> {
    if (!this.client) throw new Error('the coordinator is not running');
    const { users } = await this.client.call('TenancyService', 'ListUsers', {});
    const out = [];
    for (const u of users) {
      const { secret } = await this.client.call('TenancyService', 'CreateToken', {
        user: u.name,
        description: 'lab console sign-in',
        expiresInSeconds: CONSOLE_TOKEN_SECONDS,
      });
      out.push({ user: u.name, role: u.role.replace(/^ROLE_/, '').toLowerCase(), groups: u.groups, token: secret });
    }
    return out;
  }

  /** The coordinator's latest event sequence number now: a later settle() looks only at what comes after. */
  async eventMark(): Promise<number> {
    if (!this.client) throw new Error('the coordinator is not running');
    return (await this.client.call('EventService', 'ListEvents', { limit: 1, sinceSeq: Number.MAX_SAFE_INTEGER })).lastSeq;
  }

  /**
   * Waits (on the event stream) for the machine's first transition after event `afterSeq` to
   * `status`, or to a failure status, which ends the wait with an error.
   */
  async settle(m: LabMachine, status: string, afterSeq: number, timeoutMs: number): Promise<void> {
    const ends = (s: string): boolean => s === status || s.startsWith('FAILED_') || s === 'BROKEN';
    const found = (): BenchEvent | undefined =>
      this.events.events.find(
        (e) => e.seq > afterSeq && e.kind === 'machine.transition' && e.machineId === m.machineId && ends(e.toStatus),
      );
    await this.events.until(() => found() !== undefined, timeoutMs, `${m.hostname} ${status}`);
    const to = found()?.toStatus;
    if (to !== status) throw new Error(`${m.hostname} went to ${to} instead of ${status}`);
  }

  /** Stops everything started, newest first (hosts, then the coordinator), and removes the lab's directory. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.shell.close();
      const problems: string[] = [];
      for (const stop of this.stops.reverse())
        await stop().catch((err: unknown) => void problems.push(err instanceof Error ? err.message : String(err)));
      await rm(this.dir, { recursive: true, force: true });
      if (problems.length > 0) throw new Error(`stopping the lab: ${problems.join('; ')}`);
    })();
    return this.stopping;
  }

  /**
   * Starts something and registers its stop action at once, so it is stopped even if the lab stops
   * before it finished starting; once the lab is stopping, nothing new starts. Chapters use it for
   * what they start themselves (the VM chapter's HTTP servers on the tenant gateways).
   */
  adopt<T>(start: () => Promise<T>, stop: (started: T) => Promise<unknown>): Promise<T> {
    if (this.stopping) return Promise.reject(new Error('the lab is stopping'));
    const starting = start();
    this.stops.push(async () => {
      const started = await within(
        starting.catch(() => undefined),
        STOP_BOUND_MS,
        'a start to finish',
      );
      if (started !== undefined) await within(stop(started), STOP_BOUND_MS, 'a stop');
    });
    return starting;
  }
}

/** SIGTERM, then SIGKILL if the coordinator is still there after 10 s. */
async function stopCoordinator(c: CoordinatorProcess): Promise<void> {
  const timer = setTimeout(() => void c.kill('SIGKILL'), 10_000);
  await c.kill('SIGTERM');
  clearTimeout(timer);
}
