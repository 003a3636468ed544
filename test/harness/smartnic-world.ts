// The end-to-end world the BIOS-halt, OVN-deploy and image-deploy tests share, built from real
// parts: a mooring-coordinator process (dist/) on a data dir in a temp dir, started again on the
// same dir and port after a kill, its sequencer's crash failpoint armed through a file
// (sequencer/failpoints.ts); moorctl as admin; machine statuses read over one gRPC connection
// (smartnic-machine.ts); optionally a real OVN central (ovn.ts) the coordinator runs its networks
// on; and simulated hosts behind smartNICs (simulated-host.ts: ipmi_sim BMC, OVS and the agent,
// an ovn-controller on that OVS when OVN runs), enlisted and commissioned through moorctl.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { moorctl } from './coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from './coordinator-process.js';
import { OvnCentral, type OvnChassis } from './ovn.js';
import { SimulatedHost } from './simulated-host.js';
import { enlistBehindSmartNic, MachineStatuses } from './smartnic-machine.js';

export interface SmartNicWorldOptions {
  /** The temp dir's prefix (mooring-NAME-). */
  readonly name: string;
  /** --port-active-timeout-ms: how long a deploy waits for its ports to be active. */
  readonly portActiveTimeoutMs: number;
  /** --agent-session-timeout-ms: how long a deploy waits for a smartNIC agent's new session (default 20000). */
  readonly agentSessionTimeoutMs?: number;
  /** A real OVN central, the coordinator's fabric (MOORING_OVN_*), its LSPs owned by `owner`. */
  readonly ovn?: { readonly owner: string };
  /** More of the coordinator's environment (its settings that have no flag). */
  readonly coordinatorEnv?: Readonly<Record<string, string>>;
}

export interface WorldMachineOptions {
  readonly agentName: string;
  readonly hostname: string;
  readonly mac: string;
  /** The host's power once its agent has enrolled (default off). */
  readonly power?: 'on' | 'off';
  /** A smartNIC that never boots again after enrolment. */
  readonly deadSmartNic?: boolean;
  /** The OVN chassis name of its smartNIC (needs the world's OVN). */
  readonly chassis?: string;
  readonly cores?: number;
  readonly memory?: string;
}

/** A host behind a smartNIC (its port pf0vf0), enlisted, commissioned and READY. */
export interface WorldMachine {
  readonly host: SimulatedHost;
  /** Its smartNIC as an OVN chassis (when it has one). */
  readonly chassis: OvnChassis | undefined;
  readonly hostname: string;
  readonly machineId: string;
  readonly mac: string;
}

export class SmartNicWorld {
  /** The coordinator's current process (a new one after each start). */
  coord!: CoordinatorProcess;
  /** moorctl's environment: the coordinator, the admin token and the CA file. */
  env: Record<string, string> = {};
  readonly statuses = new MachineStatuses(() => this.coord);
  readonly hosts: SimulatedHost[] = [];

  private constructor(
    readonly dir: string,
    private readonly options: SmartNicWorldOptions,
    private readonly ovnCentral: OvnCentral | undefined,
  ) {}

  static async start(options: SmartNicWorldOptions): Promise<SmartNicWorld> {
    const dir = await mkdtemp(path.join(tmpdir(), `mooring-${options.name}-`));
    const world = new SmartNicWorld(dir, options, options.ovn ? await OvnCentral.start() : undefined);
    try {
      await world.startCoordinator();
      const caFile = path.join(dir, 'ca.crt');
      await writeFile(caFile, world.coord.caPem);
      world.env = { MOORING_COORDINATOR: world.coord.address, MOORING_TOKEN: world.coord.adminToken, MOORING_CA: caFile };
    } catch (error) {
      await world.stop();
      throw error;
    }
    return world;
  }

  /** The OVN central (the world must have been started with `ovn`). */
  get ovn(): OvnCentral {
    if (!this.ovnCentral) throw new Error('this world runs no OVN');
    return this.ovnCentral;
  }

  /** The file the coordinator's crash failpoint reads at each sequence step. */
  get crashFile(): string {
    return path.join(this.dir, 'crash');
  }

  /** Arms the crash failpoint ('before:ports', 'after:attach'); '' disarms it. */
  async arm(crash: string): Promise<void> {
    await writeFile(this.crashFile, crash);
  }

  /** Starts the coordinator on its data dir (again: on its old port, which the agents know). */
  async startCoordinator(): Promise<void> {
    const o = this.options;
    const ovnEnv: Record<string, string> =
      this.ovnCentral && o.ovn
        ? {
            MOORING_OVN_NORTHBOUND: this.ovnCentral.nbRemote,
            MOORING_OVN_SOUTHBOUND: this.ovnCentral.sbRemote,
            MOORING_OVN_OWNER: o.ovn.owner,
          }
        : {};
    // Not `this.coord?.port`: the field is declared, so TypeScript calls it always defined.
    const previous = this.coord as CoordinatorProcess | undefined;
    this.coord = await startCoordinatorProcess(path.join(this.dir, 'coord'), {
      port: previous?.port ?? 0,
      logLevel: 'warn',
      extraArgs: [
        '--heartbeat-interval-ms',
        '1000',
        '--heartbeat-deadline-ms',
        '5000',
        '--agent-session-timeout-ms',
        String(o.agentSessionTimeoutMs ?? 20_000),
        '--port-active-timeout-ms',
        String(o.portActiveTimeoutMs),
      ],
      env: { ...process.env, ...ovnEnv, ...o.coordinatorEnv, MOORING_SEQUENCER_CRASH_FILE: this.crashFile },
    });
  }

  /** moorctl as admin; its stdout, or an error with its exit code and output. */
  async ctl(...args: string[]): Promise<string> {
    const r = await moorctl(args, this.env);
    if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** A simulated host behind a smartNIC, its agent enrolled, its machine enlisted and commissioned. */
  async machine(m: WorldMachineOptions): Promise<WorldMachine> {
    const token = (JSON.parse(await this.ctl('--json', 'agent', 'token', 'create', '--name', m.agentName)) as { token: string }).token;
    const host = await SimulatedHost.start({
      agentName: m.agentName,
      dir: path.join(this.dir, 'hosts', m.hostname),
      coordinator: this.coord.address,
      caPem: this.coord.caPem,
      token,
      power: m.power ?? 'off',
      ...(m.deadSmartNic ? { deadSmartNic: true } : {}),
      ...(m.chassis ? { ovn: { remote: this.ovn.sbRemote, chassis: m.chassis } } : {}),
    });
    this.hosts.push(host);
    const chassis = m.chassis ? await this.ovn.attachChassis(m.chassis, host.ovs) : undefined;
    const machineId = await enlistBehindSmartNic(this.env, this.statuses, host, {
      hostname: m.hostname,
      mac: m.mac,
      agentName: m.agentName,
      ...(m.cores === undefined ? {} : { cores: m.cores }),
      ...(m.memory === undefined ? {} : { memory: m.memory }),
    });
    return { host, chassis, hostname: m.hostname, machineId, mac: m.mac };
  }

  async stop(): Promise<void> {
    this.statuses.close();
    await this.ovnCentral?.stop(); // the controllers first: they run against the hosts' OVS
    for (const h of this.hosts) await h.stop();
    await (this.coord as CoordinatorProcess | undefined)?.kill('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}
