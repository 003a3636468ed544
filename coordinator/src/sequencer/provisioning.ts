// The provisioning half of the deploy and release sequences: where a machine's smartNIC ports are
// on OVN while it netboots, and their move to the tenant network afterwards. The entry points the
// sequence calls (each idempotent, so a resumed step simply calls it again):
//
//   attachProvisioning(actor, machine, scriptUrl)  every smartNIC port on the provisioning network,
//       with DHCP of its own whose boot file (for iPXE, which sends option 175) is the machine's
//       iPXE script URL; the port's other attachments go. Deploy, first step on the network.
//   attachForErase(actor, machine, scriptUrl)  the same for release: the erase script's URL.
//   moveToNetwork(actor, machine, target)  each port leaves provisioning and joins the tenant
//       network (target: NetworkTargets.resolve). The port keeps its logical port (LSP) name,
//       which is the iface-id the agent bound it with, so the smartNIC port stays as it is (no
//       second BIOS-halt, no rebind): OVN moves the LSP between switches in one transaction, with
//       its new address and groups, and its DHCP_Options row now answers with that address
//       (networks/tenant-dhcp.ts: the deployed system learns it by DHCP), without a boot file.
//   leaveOnlyProvisioning(actor, machine)  after a failure: each port back on provisioning (DHCP
//       without any boot file, so no stale token is handed out), every other attachment removed.
//   detachAll(actor, machine)  the port off every network (release, once erased).
//   target()  the provisioning network as a NetworkTarget, for the sequencer's bind and waitUp
//       (PortAttachments.ifaceId finds each port's LSP there).
//
// Each change is stored first (one transaction per port: record, addresses, event), then the fabric
// is told (attachPort is idempotent), as port-attachments.ts does: a coordinator killed between the
// two finds the same record, hence the same LSP name, when the step resumes, and reconcile at start
// makes OVN match it meanwhile. Never a second LSP per port. A failed fabric call leaves the record
// (the fabric follows on the retry or the next reconcile) and the error goes to the caller.
import { randomUUID } from 'node:crypto';
import type { EventLog } from '../events/event-log.js';
import type { Machine } from '../machines/machine.js';
import { ProvisioningNetworkReservedError, ProvisioningNotConfiguredError } from '../networks/errors.js';
import type { PortDhcp } from '../networks/fabric.js';
import type { Network, NetworkAttachment } from '../networks/network-records.js';
import { isProvisioning, PROVISIONING_NETWORK, provisioningDhcp, type ProvisioningSettings } from '../networks/provisioning-network.js';
import { networkSpec } from '../networks/network-registry.js';
import { tenantDhcp } from '../networks/tenant-dhcp.js';
import { portAttachment, type TenantNetworks } from '../networks/tenant-networks.js';
import type { Store, WriteScope } from '../store/store.js';
import { sameIds, smartNicPorts, type PortAttachments, type SmartPort } from './port-attachments.js';
import type { NetworkTarget } from './sequence.js';

export interface ProvisioningDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly networks: TenantNetworks;
  readonly attachments: PortAttachments;
  /** Null: the coordinator has no provisioning network; every call fails with ProvisioningNotConfiguredError. */
  readonly settings: ProvisioningSettings | null;
  /** Crash tests only: runs after a port's record is stored, before the fabric call (it may kill the process). */
  readonly failpoint?: (point: 'stored') => void;
}

type MachinePorts = Pick<Machine, 'id' | 'hostname' | 'ports'>;

/** What a port's new record is for: its event's wording. */
type Purpose = 'deploy' | 'erase' | 'failure' | 'tenant';

export class Provisioning {
  constructor(private readonly deps: ProvisioningDeps) {}

  /** The stored provisioning network (ensureProvisioningNetwork made it at start). */
  network(): Network {
    if (!this.deps.settings) throw new ProvisioningNotConfiguredError();
    const network = this.deps.networks.networks.byName(PROVISIONING_NETWORK);
    if (!network || !isProvisioning(network)) throw new ProvisioningNotConfiguredError();
    return network;
  }

  target(): NetworkTarget {
    return { networkId: this.network().id, securityGroupIds: [] };
  }

  async attachProvisioning(actor: string, machine: MachinePorts, scriptUrl: string): Promise<void> {
    await this.onProvisioning(actor, machine, scriptUrl, 'deploy');
  }

  async attachForErase(actor: string, machine: MachinePorts, scriptUrl: string): Promise<void> {
    await this.onProvisioning(actor, machine, scriptUrl, 'erase');
  }

  async leaveOnlyProvisioning(actor: string, machine: MachinePorts): Promise<void> {
    await this.onProvisioning(actor, machine, null, 'failure');
  }

  async moveToNetwork(actor: string, machine: MachinePorts, target: NetworkTarget): Promise<void> {
    const network = this.deps.networks.networks.get(target.networkId);
    if (!network) throw new Error(`network ${target.networkId} no longer exists`);
    if (isProvisioning(network)) throw new ProvisioningNetworkReservedError('the target of a move');
    const dhcp = tenantDhcp(network, this.settings().leaseSeconds);
    await this.place(actor, machine, network, [...target.securityGroupIds], dhcp, 'tenant');
  }

  async detachAll(actor: string, machine: MachinePorts): Promise<number> {
    return this.deps.attachments.detach(actor, machine, () => true);
  }

  private settings(): ProvisioningSettings {
    if (!this.deps.settings) throw new ProvisioningNotConfiguredError();
    return this.deps.settings;
  }

  private async onProvisioning(actor: string, machine: MachinePorts, bootUrl: string | null, purpose: Purpose): Promise<void> {
    const network = this.network();
    // Make sure the switch exists (reconcile normally made it at start; this is a no-op then).
    await this.deps.networks.fabric.call('ensure the provisioning network', (fabric) => fabric.ensureNetwork(networkSpec(network)));
    await this.place(actor, machine, network, [], provisioningDhcp(network, this.deps.settings!, bootUrl), purpose);
  }

  /**
   * Puts each smartNIC port on `network` through one LSP (the one it has, moved if need be), then
   * removes the machine's other attachments.
   */
  private async place(
    actor: string,
    machine: MachinePorts,
    network: Network,
    securityGroupIds: string[],
    dhcp: PortDhcp | undefined,
    purpose: Purpose,
  ): Promise<void> {
    const kept = new Set<string>();
    for (const port of smartNicPorts(machine)) {
      const attachment = await this.deps.store.write((scope) =>
        this.store(scope, actor, machine, port, network, securityGroupIds, dhcp, purpose),
      );
      kept.add(attachment.lspName);
      this.deps.failpoint?.('stored');
      // The action names the port and network, never the boot URL (it carries a token).
      await this.deps.networks.fabric.call(`put port ${port.portId} of machine ${machine.hostname} on network ${network.name}`, (fabric) =>
        fabric.attachPort(portAttachment(attachment)),
      );
    }
    await this.deps.attachments.detach(actor, machine, (a) => !kept.has(a.lspName));
  }

  /** The port's record on `network`, stored when it differs (in the caller's transaction). */
  private store(
    scope: WriteScope,
    actor: string,
    machine: MachinePorts,
    port: SmartPort,
    network: Network,
    securityGroupIds: string[],
    dhcp: PortDhcp | undefined,
    purpose: Purpose,
  ): NetworkAttachment {
    const mine = this.deps.attachments.of(machine.id).filter((a) => a.portId === port.uuid);
    // Its LSP: the one already on `network`, else the one it has elsewhere (moved), else a new one.
    const held = mine.find((a) => a.networkId === network.id) ?? mine[0];
    if (held && held.networkId === network.id && sameIds(held.securityGroupIds, securityGroupIds) && sameDhcp(held.dhcp, dhcp)) return held;
    const registry = this.deps.networks.networks;
    if (held && held.networkId !== network.id) registry.releaseAddressIn(scope, held.networkId, port.uuid);
    const next: NetworkAttachment = {
      lspName: held?.lspName ?? randomUUID(),
      networkId: network.id,
      machineId: machine.id,
      portId: port.uuid,
      mac: port.mac,
      ip: registry.allocateAddressIn(scope, network.id, port.uuid),
      securityGroupIds,
      ...(dhcp !== undefined ? { dhcp } : {}),
    };
    this.deps.store.tables.networkAttachments.putSync(next.lspName, next);
    const from = held && held.networkId !== network.id ? (registry.get(held.networkId)?.name ?? held.networkId) : '';
    const where = from ? `moved from network ${from} to` : 'on';
    const reason = {
      deploy: 'to netboot the deploy ramdisk',
      erase: 'to netboot the erase ramdisk',
      failure: 'after a failure: provisioning only, no boot file',
      tenant: 'deployed: on its tenant network',
    }[purpose];
    this.deps.events.append(scope, {
      actor,
      kind: held ? (from ? 'network.moved' : 'network.attachment-changed') : 'network.attached',
      machineId: machine.id,
      why: `port ${port.portId} (${port.mac}) ${where} network ${network.name} as logical port ${next.lspName}, ${reason}`,
      // The DHCP options (with the boot URL's token) stay out of the event.
      details: {
        network: network.name,
        networkId: network.id,
        from,
        lsp: next.lspName,
        port: port.portId,
        portId: port.uuid,
        mac: port.mac,
        ip: next.ip ?? '',
        securityGroups: securityGroupIds.join(','),
        purpose,
      },
    });
    return next;
  }
}

function sameDhcp(a: PortDhcp | undefined, b: PortDhcp | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof PortDhcp>;
  return [...keys].every((k) => a[k] === b[k]);
}
