// The provisioning network: the OVN network a machine's smartNIC port is on while it netboots the
// deploy or erase ramdisk. It is the coordinator's own, made from its configuration
// (provisioningCidr and friends) at start, idempotently: a Network record named `provisioning`
// whose owner is a holder no user or group can be (names cannot hold ':'), so members never see
// it (NOT_FOUND, as for any network not theirs); admins and observers see it listed. Nobody
// creates, deletes or deploys to it by name; the sequencer puts ports on it (sequencer/provisioning.ts).
//
// Addresses: the first host address (.1) is the DHCP server id (and the usual place for the boot
// service's side of the network); machine ports get .2 upward from the network's allocator. Each
// port gets its own DHCP_Options row (fabric.ts PortDhcp), built here from the configuration.
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { ProvisioningCidrInUseError } from './errors.js';
import type { PortDhcp } from './fabric.js';
import { formatIpv4, parseCidr } from './ipv4-cidr.js';
import type { Network, NetworkAttachment, Owner } from './network-records.js';

export const PROVISIONING_NETWORK = 'provisioning';
/** Not a valid user or group name (request-schemas NAME), so no principal ever holds it. */
export const PROVISIONING_OWNER: Owner = Object.freeze({ kind: 'group', name: 'mooring:provisioning' });

/** The provisioning part of the coordinator's configuration (config.ts). */
export interface ProvisioningSettings {
  /** Canonical IPv4 CIDR, /8 to /30. */
  readonly cidr: string;
  /** DHCP option 3 for machines on it; null: none (the boot service is on-link). */
  readonly router: string | null;
  readonly leaseSeconds: number;
  /**
   * Option 67 for clients that do not send option 175 (not iPXE): a fleet-wide chainloader (an
   * iPXE binary's URL, say), never a per-machine script, so no token goes to a non-iPXE client.
   * Null: such clients get no boot file.
   */
  readonly bootfileAlt: string | null;
}

export function isProvisioning(network: Pick<Network, 'name' | 'owner'>): boolean {
  return (
    network.name === PROVISIONING_NETWORK &&
    network.owner.kind === PROVISIONING_OWNER.kind &&
    network.owner.name === PROVISIONING_OWNER.name
  );
}

/** A locally administered unicast MAC for the network's DHCP server, the same at every start. */
export function dhcpServerMac(networkId: string): string {
  const bytes = createHash('sha256').update(`mooring-dhcp-server:${networkId}`).digest().subarray(0, 6);
  bytes[0] = (bytes[0]! & 0xfc) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * What a port's DHCP answers carry: the network's server and lease, and `bootUrl` for iPXE with the
 * configured alternative for other clients; with no `bootUrl`, no boot file at all (a machine left
 * on provisioning after a failure netboots nothing).
 */
export function provisioningDhcp(network: Network, settings: ProvisioningSettings, bootUrl: string | null): PortDhcp {
  const cidr = parseCidr(settings.cidr);
  if (typeof cidr === 'string') throw new Error(`provisioning CIDR ${settings.cidr}: ${cidr}`);
  return {
    cidr: cidr.text,
    serverIp: formatIpv4(cidr.network + 1),
    serverMac: dhcpServerMac(network.id),
    leaseSeconds: settings.leaseSeconds,
    ...(settings.router !== null ? { router: settings.router } : {}),
    ...(bootUrl !== null ? { bootfile: bootUrl } : {}),
    ...(bootUrl !== null && settings.bootfileAlt !== null ? { bootfileAlt: settings.bootfileAlt } : {}),
  };
}

export interface ProvisioningNetworkDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Makes the stored provisioning network match the configuration, in one transaction: created on
 * the first start, its CIDR changed when no port is on it (else ProvisioningCidrInUseError, and
 * nothing changes). The fabric follows through reconcile (tenant-networks.ts) or the next attach.
 */
export async function ensureProvisioningNetwork(deps: ProvisioningNetworkDeps, settings: ProvisioningSettings): Promise<Network> {
  const { tables } = deps.store;
  return deps.store.write((scope) => {
    const id = tables.networkNames.get(PROVISIONING_NETWORK);
    const held = id === undefined ? undefined : (tables.networks.get(id) as Network | undefined);
    if (held && !isProvisioning(held))
      throw new Error(`a network named ${PROVISIONING_NETWORK} exists and is not the provisioning network (owner ${held.owner.name})`);
    if (held && held.cidr === settings.cidr) return held;
    if (held) {
      const machines = new Set<string>();
      for (const { value } of tables.networkAttachments.getRange({})) {
        const a = value as NetworkAttachment;
        if (a.networkId === held.id) machines.add(a.machineId);
      }
      if (machines.size > 0) throw new ProvisioningCidrInUseError(held.cidr ?? '', settings.cidr, [...machines].sort());
    }
    const network: Network = held
      ? { ...held, cidr: settings.cidr }
      : { id: randomUUID(), name: PROVISIONING_NETWORK, cidr: settings.cidr, owner: PROVISIONING_OWNER, createdAt: deps.clock.now() };
    tables.networks.putSync(network.id, network);
    tables.networkNames.putSync(network.name, network.id);
    deps.events.append(scope, {
      actor: 'system',
      kind: held ? 'network.changed' : 'network.created',
      why: held ? `provisioningCidr changed from ${held.cidr ?? ''}` : 'the provisioning network, from the configuration',
      details: { network: network.name, networkId: network.id, cidr: settings.cidr, owner: 'coordinator' },
    });
    deps.logger.info({ network: network.id, cidr: settings.cidr }, held ? 'provisioning network changed' : 'provisioning network created');
    return network;
  });
}
