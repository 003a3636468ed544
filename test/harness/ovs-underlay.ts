// The wire between smartNICs: OVN carries a logical switch across chassis in Geneve tunnels, and a
// smartNIC's OVS on the userspace (netdev) datapath builds and reads those itself (OVS's
// Documentation/howto/userspace-tunneling.rst): the tunnel's outer packets leave through a netdev
// bridge that holds the chassis's encap address (br-phy) and its physical port. Here that port is
// one end of a veth whose other end is plugged into a Linux bridge in a namespace of its own, the
// underlay (a site's top-of-rack switch). ovs-vswitchd runs in the smartNIC's namespace, so its
// tunnel router learns the route to the underlay's /24 from that namespace's table once br-phy has
// its address (`ovs-appctl ovs/route/show`, `tnl/arp/show` show what it knows).
//
// MTU: a Geneve packet is the inner frame plus 58 bytes or more (outer Ethernet, IP, UDP, Geneve
// with OVN's option); the underlay carries 9000-byte frames so the machines keep their 1500.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { addNamespace, deleteNamespace, type NetdevSmartNic } from './ovs-netdev-smartnic.js';
import { waitFor } from './ovs.js';
import { unusedPrefix } from './qemu-boot-network.js';

const run = promisify(execFile);
const BRIDGE = 'ul0';
const PHY_BRIDGE = 'br-phy';
const PHY_PORT = 'phy0';
const MTU = 9000;

export class Underlay {
  private joined = 0;
  private stopped = false;

  private constructor(
    readonly netns: string,
    /** The underlay's /24 ("198.18.9"): smartNIC n's encap address is .(10 + n). */
    readonly prefix: string,
  ) {}

  /** A namespace with the underlay's Linux bridge, up, carrying jumbo frames. */
  static async start(): Promise<Underlay> {
    const netns = `mooring-ul-${randomBytes(4).toString('hex')}`;
    const underlay = new Underlay(netns, await unusedPrefix());
    try {
      await addNamespace(netns);
      await run('ip', ['-n', netns, 'link', 'add', BRIDGE, 'mtu', String(MTU), 'type', 'bridge']);
      await run('ip', ['-n', netns, 'link', 'set', BRIDGE, 'up']);
    } catch (error) {
      await underlay.stop();
      throw error;
    }
    return underlay;
  }

  /**
   * Plugs `smartNic` into the underlay: a veth from the bridge to the smartNIC's namespace, there the
   * port of a netdev bridge br-phy that holds the next encap address. Returns that address (give it
   * to OvnCentral.attachChassis as encapIp) once OVS's tunnel router has the route to the underlay.
   */
  async join(smartNic: NetdevSmartNic): Promise<string> {
    const index = ++this.joined;
    if (index > 200) throw new Error(`the underlay ${this.prefix}.0/24 has room for 200 smartNICs`);
    const address = `${this.prefix}.${10 + index}`;
    const outer = `ul${index}`;
    await run('ip', [
      '-n',
      this.netns,
      'link',
      'add',
      outer,
      'mtu',
      String(MTU),
      'type',
      'veth',
      'peer',
      'name',
      PHY_PORT,
      'netns',
      smartNic.netns,
    ]);
    await run('ip', ['-n', this.netns, 'link', 'set', outer, 'master', BRIDGE, 'up']);
    // `mtu` before `type` sets the first end only: the peer (OVS's port, whose receive buffers follow its MTU) needs its own.
    await run('ip', ['-n', smartNic.netns, 'link', 'set', PHY_PORT, 'mtu', String(MTU), 'up']);
    await smartNic.ovs.vsctl(
      '--may-exist',
      'add-br',
      PHY_BRIDGE,
      '--',
      'set',
      'Bridge',
      PHY_BRIDGE,
      'datapath_type=netdev',
      '--',
      'set',
      'Interface',
      PHY_BRIDGE,
      `mtu_request=${MTU}`,
      '--',
      'add-port',
      PHY_BRIDGE,
      PHY_PORT,
    );
    // The bridge's own port is a tap the datapath made in the smartNIC's namespace: the encap address goes there.
    await run('ip', ['-n', smartNic.netns, 'addr', 'add', `${address}/24`, 'dev', PHY_BRIDGE]);
    await run('ip', ['-n', smartNic.netns, 'link', 'set', PHY_BRIDGE, 'up']);
    await waitFor(
      async () => (await this.tunnelRoutes(smartNic)).includes(`${this.prefix}.0/24 dev ${PHY_BRIDGE}`),
      10_000,
      `OVS's tunnel router on ${smartNic.netns} to route ${this.prefix}.0/24 through ${PHY_BRIDGE}`,
    );
    return address;
  }

  /** What the smartNIC's OVS routes tunnels by (ovs-appctl ovs/route/show). */
  async tunnelRoutes(smartNic: NetdevSmartNic): Promise<string> {
    return smartNic.ovs.appctl('ovs/route/show');
  }

  /** What the smartNIC's tunnel router knows (routes, neighbours, tunnel ports) and its datapath flows: for a failed test's log. */
  async tunnelState(smartNic: NetdevSmartNic): Promise<string> {
    const show = async (command: string): Promise<string> => `${command}:\n${await smartNic.ovs.appctl(command).catch(String)}`;
    const parts = await Promise.all(['ovs/route/show', 'tnl/arp/show', 'tnl/ports/show', 'dpctl/dump-flows'].map(show));
    return `--- ${smartNic.netns}\n${parts.join('\n')}`;
  }

  /** Deletes the underlay's namespace (the smartNICs' phy0 ends go with their veths). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await deleteNamespace(this.netns);
  }
}
