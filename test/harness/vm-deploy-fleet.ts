// Several machines deployed for real, each behind a smartNIC of its own as on a site: the world of
// one machine (vm-deploy-world.ts: OVN, the coordinator with its boot service, the first smartNIC
// holding the provisioning network's boot uplink and the tenant gateways) with its smartNIC on an
// underlay (ovs-underlay.ts), and one more netdev smartNIC per further machine, joined to the same
// underlay, running its own ovn-controller and mooring-agent. OVN carries the provisioning and tenant
// switches between the smartNICs in Geneve tunnels, so every machine netboots from the one boot
// uplink and reaches its network's gateway on the first smartNIC.
import { NetdevSmartNic } from './ovs-netdev-smartnic.js';
import { Underlay } from './ovs-underlay.js';
import { VmDeployWorld, type VmDeployWorldOptions, type WorldMachine } from './vm-deploy-world.js';

export interface VmDeployFleetOptions extends Omit<VmDeployWorldOptions, 'hostname' | 'underlay'> {
  /** One machine per hostname, the first on the world's own smartNIC. */
  readonly hostnames: readonly string[];
}

export class VmDeployFleet {
  private stopped = false;

  private constructor(
    readonly world: VmDeployWorld,
    readonly underlay: Underlay,
    readonly hostnames: readonly string[],
    /** The smartNICs of the machines after the first (the world stops its own). */
    private readonly smartNics: NetdevSmartNic[],
  ) {}

  /** The world with its first machine, then the others side by side, each on a new smartNIC; all READY. */
  static async start(options: VmDeployFleetOptions): Promise<VmDeployFleet> {
    const [first, ...others] = options.hostnames;
    if (first === undefined) throw new Error('a fleet needs at least one hostname');
    if (new Set(options.hostnames).size !== options.hostnames.length)
      throw new Error(`the fleet's hostnames repeat: ${options.hostnames.join(', ')}`);
    const underlay = await Underlay.start();
    let world: VmDeployWorld;
    try {
      world = await VmDeployWorld.start({ ...options, hostname: first, underlay });
    } catch (error) {
      await underlay.stop();
      throw error;
    }
    const fleet = new VmDeployFleet(world, underlay, options.hostnames, []);
    try {
      await Promise.all(others.map((hostname, i) => fleet.addMachine(hostname, i + 2)));
    } catch (error) {
      await fleet.stop();
      throw error;
    }
    return fleet;
  }

  /** Every machine, in the order of the hostnames given. */
  get machines(): WorldMachine[] {
    return this.hostnames.map((h) => this.machine(h));
  }

  /** The machine enlisted as `hostname`. */
  machine(hostname: string): WorldMachine {
    const found = this.world.enlisted.find((m) => m.hostname === hostname);
    if (!found) throw new Error(`no machine ${hostname} in the fleet (${this.world.enlisted.map((m) => m.hostname).join(', ')})`);
    return found;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.world.stop();
    for (const s of this.smartNics) await s.stop();
    await this.underlay.stop();
  }

  /** Smartnic n (2, 3, ...) on the underlay with ovn-controller as chassis vm-deploy-snicN, and its machine. */
  private async addMachine(hostname: string, n: number): Promise<void> {
    const smartNic = await NetdevSmartNic.start();
    this.smartNics.push(smartNic);
    const encapIp = await this.underlay.join(smartNic);
    await this.world.central.attachChassis(`vm-deploy-snic${n}`, smartNic.ovs, { encapIp });
    await this.world.addMachine(hostname, smartNic);
  }
}
