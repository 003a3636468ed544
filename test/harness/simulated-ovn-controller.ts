// A simulation of ovn-controller's port claim, for tests whose SDN is the SimulatedFabric. It
// follows the documented behaviour (ovn-controller(8)): it runs only on a chassis whose
// Open_vSwitch external_ids hold ovn-remote and system-id (the chassis name), and it claims the
// logical port named by an Interface's external_ids:iface-id when the northbound has that LSP. It
// watches the smartNIC's real OVS through an OVSDB monitor (event-driven, no polling) and claims
// in the fabric; stopped, it claims nothing more (ovn-controller down).
import { OvsdbClient } from '../../proto/ovsdb/client.js';
import type { Monitor } from '../../proto/ovsdb/monitor.js';
import type { OvsInstance } from './ovs.js';
import type { SimulatedFabric } from './simulated-fabric.js';

export class SimulatedOvnController {
  /** LSP name -> chassis, as this controller claimed them. */
  readonly claimed = new Map<string, string>();
  /** LSP name -> when it was claimed (ms since the epoch), to order claims against BMC calls. */
  readonly claimedAt = new Map<string, number>();

  private constructor(
    private readonly client: OvsdbClient,
    private readonly monitor: Monitor,
    private readonly fabric: SimulatedFabric,
  ) {}

  static async start(ovs: OvsInstance, fabric: SimulatedFabric): Promise<SimulatedOvnController> {
    const client = await OvsdbClient.connect({
      remote: ovs.unixRemote,
      reconnect: false,
    });
    const monitor = await client.monitor('Open_vSwitch', {
      Open_vSwitch: { columns: ['external_ids'] },
      Interface: { columns: ['name', 'external_ids'] },
    });
    const controller = new SimulatedOvnController(client, monitor, fabric);
    monitor.on('update', () => controller.scan());
    monitor.on('rebuilt', () => controller.scan());
    controller.scan();
    return controller;
  }

  /** Claims every LSP an Interface names that the fabric holds and this chassis has not claimed. */
  scan(): void {
    let ids: ReadonlyMap<string, string> = new Map();
    for (const row of this.monitor.replica.rows('Open_vSwitch'))
      if (row.external_ids instanceof Map) ids = row.external_ids as ReadonlyMap<string, string>;
    const chassis = ids.get('system-id');
    if (!ids.get('ovn-remote') || !chassis) return;
    for (const row of this.monitor.replica.rows('Interface')) {
      const lsp = row.external_ids instanceof Map ? (row.external_ids as ReadonlyMap<string, string>).get('iface-id') : undefined;
      if (!lsp || !this.fabric.ports.has(lsp) || this.claimed.get(lsp) === chassis) continue;
      this.claimed.set(lsp, chassis);
      this.claimedAt.set(lsp, Date.now());
      this.fabric.claim(lsp, chassis);
    }
  }

  stop(): void {
    this.client.close();
  }
}
