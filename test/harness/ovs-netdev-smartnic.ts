// A smartNIC whose Open vSwitch forwards real frames: ovs-vswitchd on the userspace (netdev)
// datapath, without the dummy override, inside a network namespace of its own (the DPU's own
// kernel). Its ports are real kernel interfaces in that namespace: a persistent tap per machine
// (the host's representor; a QEMU VM opens it as its NIC, test/harness/qemu-machine.ts) and veth
// pairs whose other end sits in the host's namespace (the wire to a boot service or a test's HTTP
// server). OVS reads them with AF_PACKET (shared/reference/real-components.md, "Real machines").
// Why a namespace: the netdev datapath creates taps of its own ("ovs-netdev", one per bridge),
// which would clash between two switches (or with br-int) in one namespace.
// stop() is idempotent; a process exit hook deletes namespaces still left (which removes their taps
// and veths).
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { OvsInstance } from './ovs.js';

const run = promisify(execFile);
const liveNamespaces = new Set<string>();
process.once('exit', () => {
  for (const ns of liveNamespaces) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
});

/** A host-namespace interface wired to a smartNIC port. */
export interface HostLink {
  /** Its name in the host's namespace. */
  readonly name: string;
  readonly mac: string;
  /** Its IPv4 address, without the prefix length. */
  readonly address: string;
  /** The namespace it is in, when not the host's (addHostLink's ownNamespace). */
  readonly netns?: string;
}

export class NetdevSmartNic {
  private stopped = false;
  /** Namespaces of host links that have their own (deleted with the smartNIC). */
  private readonly linkNamespaces: string[] = [];

  private constructor(
    readonly netns: string,
    readonly ovs: OvsInstance,
    readonly bridge: string,
  ) {}

  /** A namespace and OVS (ovsdb-server in the host's namespace, ovs-vswitchd in the smartNIC's) with `bridge` on the netdev datapath. */
  static async start(options: { bridge?: string; keep?: boolean } = {}): Promise<NetdevSmartNic> {
    const netns = `mooring-snic-${randomBytes(4).toString('hex')}`;
    try {
      await addNamespace(netns);
      const bridge = options.bridge ?? 'br-int';
      const ovs = await OvsInstance.start({ bridge, netns, keep: options.keep });
      return new NetdevSmartNic(netns, ovs, bridge);
    } catch (error) {
      await deleteNamespace(netns);
      throw error;
    }
  }

  /**
   * A persistent tap in the smartNIC's namespace, plugged into the bridge with `iface-id` (the
   * Logical_Switch_Port it stands for), or, without one, left off the bridge for a mooring-agent to
   * bind (as it binds a representor). It outlives the VM that opens it, as a representor outlives
   * the host's power cycles.
   */
  async addTap(tap: string, ifaceId?: string): Promise<void> {
    checkName(tap);
    await run('ip', ['-n', this.netns, 'tuntap', 'add', 'dev', tap, 'mode', 'tap', 'vnet_hdr']);
    await run('ip', ['-n', this.netns, 'link', 'set', tap, 'up']);
    if (ifaceId !== undefined)
      await this.ovs.vsctl('add-port', this.bridge, tap, '--', 'set', 'Interface', tap, `external_ids:iface-id=${ifaceId}`);
  }

  /**
   * A veth pair: one end a bridge port with `iface-id`, the other in the host's namespace with `mac`
   * and `address`/`prefix`. TX checksum offload is off on the host end: OVS's userspace datapath
   * forwards partial checksums unfilled and the receiver would drop them (TCP fails, ARP works).
   * With `ownNamespace` the other end goes into a namespace of its own instead (`netns` of the
   * link): a separate host on the logical switch, which answers for its own address only (the
   * host's namespace answers ARP and ping for all its addresses on every interface).
   */
  async addHostLink(
    ifaceId: string,
    mac: string,
    address: string,
    prefix: number,
    options: { ownNamespace?: boolean } = {},
  ): Promise<HostLink> {
    const name = `mh${randomBytes(4).toString('hex')}`;
    const peer = `${name}p`;
    const netns = options.ownNamespace ? `${this.netns}-${name}` : undefined;
    const inNs = (args: string[]): string[] => (netns ? ['-n', netns, ...args] : args);
    if (netns) {
      this.linkNamespaces.push(netns);
      await addNamespace(netns);
    }
    await run('ip', inNs(['link', 'add', name, 'address', mac, 'type', 'veth', 'peer', 'name', peer, 'netns', this.netns]));
    await run('ip', ['-n', this.netns, 'link', 'set', peer, 'up']);
    await run(...ethtool(netns, ['-K', name, 'tx', 'off']));
    await run('ip', inNs(['addr', 'add', `${address}/${prefix}`, 'dev', name]));
    await run('ip', inNs(['link', 'set', name, 'up']));
    await this.ovs.vsctl('add-port', this.bridge, peer, '--', 'set', 'Interface', peer, `external_ids:iface-id=${ifaceId}`);
    return { name, mac, address, ...(netns ? { netns } : {}) };
  }

  /** Stops OVS and deletes the namespace with every tap and veth in it (the host ends of veths go with their peers). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.ovs.stop();
    for (const ns of this.linkNamespaces) await deleteNamespace(ns);
    await deleteNamespace(this.netns);
  }
}

/** A network namespace with lo up, deleted by the process exit hook if still there (deleteNamespace first). */
export async function addNamespace(netns: string): Promise<void> {
  await run('ip', ['netns', 'add', netns]);
  liveNamespaces.add(netns);
  await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
}

export async function deleteNamespace(netns: string): Promise<void> {
  await run('ip', ['netns', 'del', netns]).catch(() => undefined);
  liveNamespaces.delete(netns);
}

/** ethtool run in `netns` (ip netns exec), or in the host's namespace. */
function ethtool(netns: string | undefined, args: string[]): [string, string[]] {
  return netns ? ['ip', ['netns', 'exec', netns, 'ethtool', ...args]] : ['ethtool', args];
}

/** Linux interface names: at most 15 bytes, no '/' or whitespace. */
function checkName(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name))
    throw new Error(`interface name ${JSON.stringify(name)} is not a valid Linux interface name (1-15 of [A-Za-z0-9_.-])`);
}
