// One machine deployed for real: a QEMU VM (test/harness/qemu-machine.ts: ipmi_sim driving QEMU)
// whose NIC is a tap on a smartNIC whose OVS runs the userspace datapath (ovs-netdev-smartnic.ts),
// the tap bound by that smartNIC's real mooring-agent (it restarts with the host's power, as
// simulated-host.ts does for a DPU), ovn-controller on the smartNIC answering DHCP, and a
// mooring-coordinator process (dist/) with its provisioning network and boot service, driven by
// moorctl.
//
// How the machine reaches the boot service: the coordinator's host holds the provisioning
// network's first address (.1, where provisioning-network.ts places the boot service's side) on a
// host link plugged into the provisioning switch as an operator's uplink would be, and the boot
// service listens there: the ramdisk reaches it on-link. A deployed machine's phone-home goes to
// the same URL from its tenant network through that network's gateway (its first address, which
// the tenant DHCP names as router): a second host link, on the tenant switch, holds it, so the
// host routes the phone-home to the boot service as a router would. Both host links answer ARP
// for their own address only (arp_ignore=1): a machine on the tenant switch cannot find the
// provisioning address on its wire. Other hosts on a switch (`probe`) sit in namespaces of their
// own, so they answer for nothing but their address.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { moorctl } from './moorctl-process.js';
import { startCoordinatorForCli, type CoordinatorProcess } from './coordinator-process.js';
import { OvnCentral } from './ovn.js';
import { waitFor } from './ovs.js';
import { NetdevSmartNic, type HostLink } from './ovs-netdev-smartnic.js';
import type { Underlay } from './ovs-underlay.js';
import { randomMac, unusedPrefix } from './qemu-boot-network.js';
import { QemuMachine } from './qemu-machine.js';
import { SimulatedHost } from './simulated-host.js';
import { enlistBehindSmartNic, MachineStatuses } from './smartnic-machine.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const CHASSIS = 'vm-deploy-snic';
const AGENT = 'vm-deploy-dpu';
const BOOT_UPLINK = 'boot-uplink';

export interface VmDeployWorldOptions {
  /** Ramdisk files for the boot service (test/ramdisk/ramdisk-build.ts). */
  readonly ramdiskDir: string;
  /** The machine's hostname in Mooring. */
  readonly hostname: string;
  /** Bounds of the ramdisk's and the first boot's steps (TCG is slow). */
  readonly stepTimeoutMs: number;
  /** The VM's log (QEMU starts and stops); default pino to stdout. */
  readonly log?: Logger;
  /**
   * The underlay the smartNIC joins (its chassis's Geneve address there), so machines behind other
   * smartNICs on it (addMachine) reach the boot uplink and the gateways; without it the smartNIC's
   * chassis has a loopback encap address and no peer.
   */
  readonly underlay?: Underlay;
}

/** A machine of the world: its VM, its smartNIC's agent (a SimulatedHost), its Mooring id. */
export interface WorldMachine {
  readonly hostname: string;
  readonly machine: QemuMachine;
  readonly host: SimulatedHost;
  readonly smartNic: NetdevSmartNic;
  readonly id: string;
}

export class VmDeployWorld {
  private readonly hosts: SimulatedHost[] = [];
  private readonly machines: QemuMachine[] = [];
  /** Machines addMachine has begun (numbered before its first await, so machines added side by side differ). */
  private added = 0;
  /** Every machine enlisted, the first (machine, host, machineId) included. */
  readonly enlisted: WorldMachine[] = [];
  readonly statuses: MachineStatuses;
  machine!: QemuMachine;
  host!: SimulatedHost;
  machineId = '';
  coord!: CoordinatorProcess;
  env: Record<string, string> = {};
  /** The provisioning network's /24 prefix ("198.18.7") and its uplink (.1, the boot service's address). */
  provisioningPrefix = '';
  bootUplink!: HostLink;
  /** The boot service's URL (http://PROVISIONING.1:PORT). */
  bootUrl = '';

  private constructor(
    readonly dir: string,
    readonly central: OvnCentral,
    readonly smartNic: NetdevSmartNic,
    private readonly options: VmDeployWorldOptions,
  ) {
    this.statuses = new MachineStatuses(() => this.coord);
  }

  /** OVN, the smartNIC with its chassis, the coordinator, the VM, its agent; the machine enlisted and READY. */
  static async start(options: VmDeployWorldOptions): Promise<VmDeployWorld> {
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-vm-deploy-'));
    const [central, smartNic] = await Promise.all([OvnCentral.start(), NetdevSmartNic.start()]);
    const world = new VmDeployWorld(dir, central, smartNic, options);
    try {
      await world.setUp();
    } catch (error) {
      await world.stop();
      throw error;
    }
    return world;
  }

  private async setUp(): Promise<void> {
    const encapIp = this.options.underlay ? await this.options.underlay.join(this.smartNic) : undefined;
    await this.central.attachChassis(CHASSIS, this.smartNic.ovs, encapIp ? { encapIp } : {});
    this.provisioningPrefix = await unusedPrefix();
    this.bootUplink = await this.smartNic.addHostLink(BOOT_UPLINK, randomMac(), `${this.provisioningPrefix}.1`, 24);
    await arpForOwnAddressOnly(this.bootUplink);
    const bootAddress = `${this.bootUplink.address}:${await freePort(this.bootUplink.address)}`;
    this.bootUrl = `http://${bootAddress}`;
    const { coord, env } = await startCoordinatorForCli(this.dir, {
      logLevel: 'warn',
      extraArgs: ['--heartbeat-interval-ms', '1000', '--heartbeat-deadline-ms', '5000'],
      env: {
        ...process.env,
        MOORING_OVN_NORTHBOUND: this.central.nbRemote,
        MOORING_OVN_SOUTHBOUND: this.central.sbRemote,
        MOORING_OVN_OWNER: 'vm-deploy',
        MOORING_PROVISIONING_CIDR: `${this.provisioningPrefix}.0/24`,
        MOORING_BOOT_LISTEN: bootAddress,
        MOORING_RAMDISK_DIR: this.options.ramdiskDir,
        MOORING_RAMDISK_TIMEOUT_MS: String(this.options.stepTimeoutMs),
        MOORING_FIRST_BOOT_TIMEOUT_MS: String(this.options.stepTimeoutMs),
      },
    });
    this.coord = coord;
    this.env = env;
    await this.plug('provisioning', BOOT_UPLINK, this.bootUplink);
    ({ machine: this.machine, host: this.host, id: this.machineId } = await this.addMachine(this.options.hostname, this.smartNic));
  }

  /**
   * Another machine, READY: a VM whose NIC is a tap on `smartNic` (already running ovn-controller
   * and, when not the world's own, joined to its underlay), that smartNIC's mooring-agent,
   * enlisted as `hostname`. Machine n is VM vmN with agent vm-deploy-dpu (n = 1) or vm-deploy-dpuN.
   */
  async addMachine(hostname: string, smartNic: NetdevSmartNic): Promise<WorldMachine> {
    const n = ++this.added;
    const agentName = n === 1 ? AGENT : `${AGENT}${n}`;
    const mac = randomMac();
    const machine = await QemuMachine.create({
      name: `vm${n}`,
      smartNic,
      mac,
      memoryMiB: 320,
      ...(this.options.log ? { log: this.options.log } : {}),
    });
    this.machines.push(machine);
    const token = (JSON.parse(await this.ctl('--json', 'agent', 'token', 'create', '--name', agentName)) as { token: string }).token;
    const host = await SimulatedHost.start({
      agentName,
      dir: path.join(this.dir, n === 1 ? 'host' : `host${n}`),
      coordinator: this.coord.address,
      caPem: this.coord.caPem,
      token,
      power: 'off',
      bmc: machine.bmc,
      ovs: smartNic.ovs,
    });
    this.hosts.push(host);
    const id = await enlistBehindSmartNic(this.env, this.statuses, host, { hostname, mac, agentName, port: machine.tap });
    const enlisted = { hostname, machine, host, smartNic, id };
    this.enlisted.push(enlisted);
    return enlisted;
  }

  /** moorctl as admin; throws with its output when it fails. */
  async ctl(...args: string[]): Promise<string> {
    const r = await moorctl(args, this.env);
    if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** A file in the world's dir with `text`; its path. */
  async file(name: string, text: string | Buffer): Promise<string> {
    const file = path.join(this.dir, name);
    await writeFile(file, text);
    return file;
  }

  /**
   * A network created with moorctl (`network create NAME --cidr PREFIX.0/24`), with a host link
   * at its first address: its gateway (the tenant DHCP's router), in the host's namespace.
   */
  async tenantNetwork(name: string, prefix: string, ...createArgs: string[]): Promise<HostLink> {
    await this.ctl('network', 'create', name, '--cidr', `${prefix}.0/24`, ...createArgs);
    const lsp = `${name}-uplink`;
    const uplink = await this.smartNic.addHostLink(lsp, randomMac(), `${prefix}.1`, 24);
    await arpForOwnAddressOnly(uplink);
    await this.plug(name, lsp, uplink);
    return uplink;
  }

  /** Another host on network `name` (Mooring's name), in a namespace of its own, at `address`. */
  async probe(name: string, address: string): Promise<HostLink> {
    const lsp = `${name}-probe-${address}`;
    const link = await this.smartNic.addHostLink(lsp, randomMac(), address, 24, { ownNamespace: true });
    await this.plug(name, lsp, link);
    return link;
  }

  /** The smartNIC port Mooring bound for the machine: its external_ids:iface-id (the LSP). */
  async boundIfaceId(): Promise<string> {
    return (await this.smartNic.ovs.vsctl('get', 'Interface', this.machine.tap, 'external_ids:iface-id')).replace(/"/g, '');
  }

  /** The logical switch of Mooring's network `name` (its external_ids mooring:name). */
  async switchOf(name: string): Promise<string> {
    let found = '';
    await waitFor(
      async () => {
        const rows = await this.central.nbFind('Logical_Switch', 'name', `external_ids:mooring\\:name=${name}`);
        found = rows[0] ?? '';
        return found !== '';
      },
      20_000,
      `the logical switch of network ${name}`,
    );
    return found;
  }

  /** The LSP `lsp` (the iface-id `link` was bound with) on Mooring's network `name`'s switch. */
  private async plug(name: string, lsp: string, link: HostLink): Promise<void> {
    await this.central.nbctl('lsp-add', await this.switchOf(name), lsp, '--', 'lsp-set-addresses', lsp, `${link.mac} ${link.address}`);
  }

  async stop(): Promise<void> {
    this.statuses.close();
    for (const h of this.hosts) await h.stop();
    for (const m of this.machines) await m.stop();
    await this.coord?.kill('SIGKILL');
    await this.central.stop();
    await this.smartNic.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** ARP answers on `link` for its own address only, not for the host's others (net.ipv4.conf.*.arp_ignore=1). */
async function arpForOwnAddressOnly(link: HostLink): Promise<void> {
  await run('sysctl', ['-qw', `net.ipv4.conf.${link.name}.arp_ignore=1`]);
}
