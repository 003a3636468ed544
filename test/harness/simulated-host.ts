// A simulated bare-metal machine behind a smartNIC: an ipmi_sim BMC, and a smartNIC with its own
// ovsdb-server + ovs-vswitchd (dummy datapath) and a mooring-agent. The smartNIC is powered by the
// host, as a DPU in a server is: when the BMC's chassis powers on, the smartNIC boots and its agent
// starts (a new session, a higher epoch); when the chassis powers off, the agent dies with it
// (SIGKILL: power loss). OVS keeps its database across, as on the DPU's flash. The chassis call
// log drives this (IpmiSim.follow: fs.watch, not polling).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AgentProcess } from './agent-process.js';
import { IpmiSim, type ChassisCall, type ChassisFollower } from './ipmi-sim.js';
import { OvsInstance } from './ovs.js';

export interface SimulatedHostOptions {
  /** Agent name (the enrollment token must be for it). */
  agentName: string;
  /** Where the host's state lives (agent data dir, CA file). */
  dir: string;
  coordinator: string;
  caPem: string;
  /** An enrollment token: the host is powered on once to enroll the agent, then set to `power`. */
  token: string;
  power: 'on' | 'off';
  /** A smartNIC that never boots (its agent never comes back after power-on). */
  deadSmartNic?: boolean;
  heartbeat?: string;
  /** Extra agent flags for every boot; later flags win (e.g. a fixed --status-listen, --log-level info). */
  agentArgs?: readonly string[];
  /** A BMC to use instead of a new ipmi_sim (a QemuMachine's): left running by stop(). */
  bmc?: IpmiSim;
  /** The smartNIC's OVS to use instead of a new dummy one (a NetdevSmartNic's): left running by stop(). */
  ovs?: OvsInstance;
  /** ovn-controller configured on the smartNIC: Open_vSwitch external_ids ovn-remote and system-id, set before the agent first boots. */
  ovn?: { remote: string; chassis: string };
}

export class SimulatedHost {
  agent: AgentProcess | undefined;
  /** Each agent process the host has started, in order (one per power-on). */
  readonly boots: number[] = [];
  /** Failures while following the chassis (a smartNIC that failed to boot). */
  readonly errors: string[] = [];
  private follower: ChassisFollower | undefined;

  private constructor(
    readonly options: SimulatedHostOptions,
    readonly bmc: IpmiSim,
    readonly ovs: OvsInstance,
    private readonly caFile: string,
  ) {}

  static async start(options: SimulatedHostOptions): Promise<SimulatedHost> {
    await mkdir(options.dir, { recursive: true });
    const caFile = path.join(options.dir, 'coordinator-ca.pem');
    await writeFile(caFile, options.caPem);
    const [bmcStart, ovsStart] = await Promise.allSettled([
      options.bmc ?? IpmiSim.start({ power: 'on' }),
      options.ovs ?? OvsInstance.start(),
    ]);
    if (bmcStart.status === 'rejected' || ovsStart.status === 'rejected') {
      // Stop whichever half did start, then report what failed.
      if (bmcStart.status === 'fulfilled' && !options.bmc) await bmcStart.value.stop();
      if (ovsStart.status === 'fulfilled' && !options.ovs) await ovsStart.value.stop();
      throw bmcStart.status === 'rejected' ? bmcStart.reason : (ovsStart as PromiseRejectedResult).reason;
    }
    const host = new SimulatedHost(options, bmcStart.value, ovsStart.value, caFile);
    const bmc = bmcStart.value;
    try {
      if (options.ovn)
        await host.ovs.vsctl(
          'set',
          'Open_vSwitch',
          '.',
          `external_ids:ovn-remote="${options.ovn.remote}"`,
          `external_ids:system-id=${options.ovn.chassis}`,
        );
      // Installed and enrolled while the host was up, as an operator would.
      await host.boot(options.token);
      await host.agent!.waitFor((l) => l.msg === 'coordinator session online', 20_000, `${options.agentName} online`);
      if (options.power === 'off') {
        await host.powerLoss();
        await bmc.setPower('off');
      }
      await bmc.clearCalls();
      host.follower = await bmc.follow(
        (call) => host.follow(call),
        (err: unknown) => host.errors.push(err instanceof Error ? err.message : String(err)),
      );
    } catch (err) {
      await host.stop();
      throw err;
    }
    return host;
  }

  get agentName(): string {
    return this.options.agentName;
  }

  /** Applies one chassis call: power 1 boots the smartNIC, power 0 kills it. */
  private async follow(call: ChassisCall): Promise<void> {
    if (call.text === 'set power 1' && !this.agent && !this.options.deadSmartNic) await this.boot();
    if (call.text === 'set power 0' && this.agent) await this.powerLoss();
  }

  private async boot(token?: string): Promise<void> {
    this.agent = await AgentProcess.start({
      dataDir: path.join(this.options.dir, 'agent'),
      ovsdbRemote: this.ovs.unixRemote,
      coordinator: this.options.coordinator,
      caFile: this.caFile,
      token,
      name: this.options.agentName,
      heartbeat: this.options.heartbeat ?? '1s',
      reconnectMax: '1s',
      datapathType: 'netdev',
      extraArgs: [...(this.options.agentArgs ?? [])],
    });
    this.boots.push(Date.now());
  }

  private async powerLoss(): Promise<void> {
    const a = this.agent;
    this.agent = undefined;
    await a?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    await this.powerLoss();
    await Promise.all([this.options.bmc ? undefined : this.bmc.stop(), this.options.ovs ? undefined : this.ovs.stop()]);
  }
}
