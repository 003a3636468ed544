// Tenant networks: the records, their addresses, and the fabric calls that make OVN match them.
//
// A change is stored first (one transaction, its event in it), then the fabric is called; when
// that call fails the change is undone by a compensating write (with its own event) and the
// caller gets the failure, so nothing stays half-made. A crash between the two leaves the record,
// and reconcile at the next start (tenant-networks.ts) makes OVN match it.
// A delete goes the other way: the fabric first, then the record, so a failed fabric call leaves
// the network whole.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { InvalidArgumentError } from '../domain-error.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { Store, WriteScope } from '../store/store.js';
import { requireWriter } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import type { UserDirectory } from '../tenancy/user-directory.js';
import {
  AddressesExhaustedError,
  NetworkExistsError,
  NetworkInUseError,
  NetworkNotFoundError,
  ProvisioningNetworkReservedError,
} from './errors.js';
import type { FabricGate } from './fabric-gate.js';
import type { NetworkSpec } from './fabric.js';
import { assignableRange, formatIpv4, MAX_NETWORK_PREFIX, MIN_NETWORK_PREFIX, overlaps, parseCidr, type Ipv4Cidr } from './ipv4-cidr.js';
import { ownerText, type Network, type NetworkAttachment, type Owner } from './network-records.js';
import { OwnedRecords } from './owned-records.js';
import { resolveOwner, sameOwner } from './ownership.js';
import { isProvisioning, PROVISIONING_NETWORK } from './provisioning-network.js';

export interface NetworkRegistryDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly users: UserDirectory;
  readonly fabric: FabricGate;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface CreateNetworkRequest {
  readonly name: string;
  /** As given; validated here. Null: no addressing. */
  readonly cidr: string | null;
  /** Null: the caller. */
  readonly owner: Owner | null;
}

export function networkSpec(network: Network): NetworkSpec {
  return network.cidr === null ? { id: network.id, name: network.name } : { id: network.id, name: network.name, cidr: network.cidr };
}

function subnet(network: Network): Ipv4Cidr | null {
  if (network.cidr === null) return null;
  const parsed = parseCidr(network.cidr);
  if (typeof parsed === 'string') throw new Error(`stored network ${network.name} has a bad CIDR: ${parsed}`);
  return parsed;
}

/** Networks by id and by name, as a principal may see them (OwnedRecords), and their changes. */
export class NetworkRegistry extends OwnedRecords<Network> {
  constructor(private readonly deps: NetworkRegistryDeps) {
    super(deps.store.tables.networks, deps.store.tables.networkNames, deps.fabric, (name) => new NetworkNotFoundError(name));
  }

  private get tables(): Store['tables'] {
    return this.deps.store.tables;
  }

  async create(principal: Principal, request: CreateNetworkRequest): Promise<Network> {
    this.deps.fabric.require();
    const owner = resolveOwner(principal, request.owner, this.deps.users, 'network');
    if (request.name === PROVISIONING_NETWORK) throw new ProvisioningNetworkReservedError('created by name');
    let cidr: Ipv4Cidr | null = null;
    if (request.cidr !== null) {
      const parsed = parseCidr(request.cidr, MIN_NETWORK_PREFIX, MAX_NETWORK_PREFIX);
      if (typeof parsed === 'string') throw new InvalidArgumentError('cidr', parsed);
      cidr = parsed;
    }
    const network = await this.deps.store.write((scope) => {
      if (this.tables.networkNames.get(request.name) !== undefined) throw new NetworkExistsError('network', request.name);
      // Networks are separate switches, so two tenants may use the same subnet; one owner's
      // networks must not overlap (a tenant routing between its own networks could not tell them apart).
      if (cidr) {
        for (const other of this.all()) {
          const otherCidr = subnet(other);
          if (otherCidr && sameOwner(other.owner, owner) && overlaps(cidr, otherCidr)) {
            throw new InvalidArgumentError(
              'cidr',
              `${cidr.text} overlaps network ${other.name} (${otherCidr.text}) of the same owner ${ownerText(owner)}`,
            );
          }
        }
      }
      const created: Network = { id: randomUUID(), name: request.name, cidr: cidr?.text ?? null, owner, createdAt: this.deps.clock.now() };
      this.tables.networks.putSync(created.id, created);
      this.tables.networkNames.putSync(created.name, created.id);
      this.record(scope, principal, 'network.created', created, '');
      return created;
    });
    try {
      await this.deps.fabric.call(`create network ${network.name}`, (fabric) => fabric.ensureNetwork(networkSpec(network)));
    } catch (error) {
      await this.deps.store.write((scope) => {
        this.removeRecord(network);
        this.record(scope, principal, 'network.deleted', network, 'undone: the OVN northbound call failed');
      });
      throw error;
    }
    return network;
  }

  async delete(principal: Principal, name: string): Promise<void> {
    requireWriter(principal, 'delete networks');
    const network = this.visible(principal, name);
    if (isProvisioning(network)) throw new ProvisioningNetworkReservedError('deleted');
    this.refuseIfAttached(network);
    await this.deps.fabric.call(`delete network ${name}`, (fabric) => fabric.deleteNetwork(network.id));
    try {
      await this.deps.store.write((scope) => {
        // Attached while the fabric call ran: the network stays.
        this.refuseIfAttached(network);
        this.removeRecord(network);
        this.record(scope, principal, 'network.deleted', network, '');
      });
    } catch (error) {
      // The switch is gone but the record stays: put the switch back (reconcile would, at the next start).
      await this.deps.fabric
        .call(`restore network ${name}`, (fabric) => fabric.ensureNetwork(networkSpec(network)))
        .catch((restoreError: unknown) =>
          this.deps.logger.error({ err: restoreError, network: network.id }, 'restoring a network after a refused delete failed'),
        );
      throw error;
    }
  }

  /** The attachments of the network (the sequencer writes them). */
  attachments(networkId: string): NetworkAttachment[] {
    const found: NetworkAttachment[] = [];
    for (const { value } of this.tables.networkAttachments.getRange({})) {
      const attachment = value as NetworkAttachment;
      if (attachment.networkId === networkId) found.push(attachment);
    }
    return found;
  }

  /** The ids of the machines with a port attached to the network, each once, sorted. */
  attachedMachines(networkId: string): string[] {
    return [...new Set(this.attachments(networkId).map((a) => a.machineId))].sort();
  }

  /**
   * The address of `portId` on the network: the one it already has, else the lowest free one
   * (never the network, gateway or broadcast address). Null for a network without a CIDR.
   * RESOURCE_EXHAUSTED naming the network when none is free. One transaction: concurrent
   * allocations never collide.
   */
  async allocateAddress(networkId: string, portId: string): Promise<string | null> {
    return this.deps.store.write((scope) => this.allocateAddressIn(scope, networkId, portId));
  }

  /** allocateAddress inside the caller's write transaction (the sequencer's attach step). */
  allocateAddressIn(scope: WriteScope, networkId: string, portId: string): string | null {
    const network = this.get(networkId);
    if (!network) throw new NetworkNotFoundError(networkId);
    const cidr = subnet(network);
    if (!cidr) return null;
    const held = this.tables.networkPortAddresses.get([networkId, portId]);
    if (held !== undefined) return formatIpv4(held);
    const { first, last } = assignableRange(cidr);
    // Taken addresses come back in order: the first gap is the lowest free address.
    let candidate = first;
    for (const key of this.tables.networkAddresses.getKeys({ start: [networkId, first], end: [networkId, last + 1] })) {
      if (key[1] !== candidate) break;
      candidate++;
    }
    if (candidate > last) throw new AddressesExhaustedError(network.name, cidr.text);
    this.tables.networkAddresses.putSync([networkId, candidate], portId);
    this.tables.networkPortAddresses.putSync([networkId, portId], candidate);
    const ip = formatIpv4(candidate);
    this.deps.events.append(scope, {
      actor: 'system',
      kind: 'network.address-allocated',
      why: '',
      details: { network: network.name, networkId, portId, ip },
    });
    return ip;
  }

  /** Frees the port's address on the network; false when it held none. */
  async releaseAddress(networkId: string, portId: string): Promise<boolean> {
    return this.deps.store.write((scope) => this.releaseAddressIn(scope, networkId, portId));
  }

  releaseAddressIn(scope: WriteScope, networkId: string, portId: string): boolean {
    const held = this.tables.networkPortAddresses.get([networkId, portId]);
    if (held === undefined) return false;
    this.tables.networkAddresses.removeSync([networkId, held]);
    this.tables.networkPortAddresses.removeSync([networkId, portId]);
    const network = this.get(networkId);
    this.deps.events.append(scope, {
      actor: 'system',
      kind: 'network.address-released',
      why: '',
      details: { network: network?.name ?? '', networkId, portId, ip: formatIpv4(held) },
    });
    return true;
  }

  private refuseIfAttached(network: Network): void {
    const machines = this.attachedMachines(network.id);
    if (machines.length > 0) throw new NetworkInUseError('network', network.name, machines);
  }

  /** Removes the record, its name and every address it gave out (in the caller's transaction). */
  private removeRecord(network: Network): void {
    this.tables.networks.removeSync(network.id);
    this.tables.networkNames.removeSync(network.name);
    for (const key of [...this.tables.networkAddresses.getKeys({ start: [network.id, 0], end: [network.id, 2 ** 32] })]) {
      const portId = this.tables.networkAddresses.get(key);
      this.tables.networkAddresses.removeSync(key);
      if (portId !== undefined) this.tables.networkPortAddresses.removeSync([network.id, portId]);
    }
  }

  private record(scope: WriteScope, principal: Principal, kind: string, network: Network, why: string): void {
    this.deps.events.append(scope, {
      actor: principal.user,
      kind,
      why,
      details: { network: network.name, networkId: network.id, cidr: network.cidr ?? '', owner: ownerText(network.owner) },
    });
  }
}
