// The tenant-network half of the BIOS-halt sequence: the attachments of a machine's smartNIC
// ports to a network (OVN logical ports), created, waited on and removed for the sequencer.
//
// Attach stores the attachment (a fresh UUID as the LSP name, an IP from the network) before it
// asks the fabric for the LSP, so a coordinator killed in between finds the same LSP name when it
// resumes and the fabric call (idempotent) makes it exist: never a second LSP per port. Detach
// goes the other way: the fabric first, then the record and its address.
import { randomUUID } from 'node:crypto';
import type { EventLog } from '../events/event-log.js';
import type { Machine } from '../machines/machine.js';
import { portUuid } from '../machines/port-id.js';
import type { NetworkAttachment } from '../networks/network-records.js';
import { portAttachment, type TenantNetworks } from '../networks/tenant-networks.js';
import type { Store, WriteScope } from '../store/store.js';
import { OvnClaimTimeoutError } from './errors.js';
import type { NetworkTarget } from './sequence.js';

/** A smartNIC port of a machine: its agent, the representor name, MAC and Mooring's port id. */
export interface SmartPort {
  agentId: string;
  portId: string;
  mac: string;
  /** Mooring's id of the port (machines/port-id.ts): the iface-id when there is no network. */
  uuid: string;
}

export function smartNicPorts(machine: Pick<Machine, 'id' | 'ports'>): SmartPort[] {
  return machine.ports
    .filter((p) => p.isSmartNic && p.smartNicAgentId && p.smartNicPortId)
    .map((p) => ({
      agentId: p.smartNicAgentId!,
      portId: p.smartNicPortId!,
      mac: p.mac,
      uuid: portUuid(machine.id, p.mac),
    }));
}

/** Beyond the sequencer's own bound, so the sequencer's timer (and its message) always wins. */
const FABRIC_WAIT_GRACE_MS = 5_000;

export interface PortAttachmentsDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly networks: TenantNetworks;
}

export class PortAttachments {
  constructor(private readonly deps: PortAttachmentsDeps) {}

  /** The machine's attachments (on any network). */
  of(machineId: string): NetworkAttachment[] {
    const found: NetworkAttachment[] = [];
    for (const { value } of this.deps.store.tables.networkAttachments.getRange({})) {
      const a = value as NetworkAttachment;
      if (a.machineId === machineId) found.push(a);
    }
    return found;
  }

  /** The attachment of one port on one network, if there is one. */
  find(machineId: string, port: SmartPort, networkId: string): NetworkAttachment | undefined {
    return this.of(machineId).find((a) => a.portId === port.uuid && a.networkId === networkId);
  }

  /** The iface-id a port is bound with: its LSP on the target network, else Mooring's port id. */
  ifaceId(machineId: string, port: SmartPort, target: NetworkTarget | null): string {
    if (!target) return port.uuid;
    const attachment = this.find(machineId, port, target.networkId);
    if (!attachment) throw new Error(`port ${port.portId} of machine ${machineId} has no attachment on network ${target.networkId}`);
    return attachment.lspName;
  }

  /**
   * Makes each port attached to `target`: reuses the port's attachment there (a resumed sequence,
   * or a bind to the network it is already on), else stores a new one; then has the fabric match
   * it. `created` runs inside each new attachment's transaction (the sequencer records the name).
   */
  async attach(
    actor: string,
    machine: Machine,
    target: NetworkTarget,
    created: (scope: WriteScope, lspName: string) => void,
  ): Promise<void> {
    const network = this.deps.networks.networks.get(target.networkId);
    if (!network) throw new Error(`network ${target.networkId} no longer exists`);
    for (const port of smartNicPorts(machine)) {
      const attachment = await this.deps.store.write((scope) => {
        const held = this.find(machine.id, port, target.networkId);
        const groups = [...target.securityGroupIds];
        if (held && sameIds(held.securityGroupIds, groups)) return held;
        const ip = held ? held.ip : this.deps.networks.networks.allocateAddressIn(scope, target.networkId, port.uuid);
        const next: NetworkAttachment = {
          lspName: held?.lspName ?? randomUUID(),
          networkId: target.networkId,
          machineId: machine.id,
          portId: port.uuid,
          mac: port.mac,
          ip,
          securityGroupIds: groups,
        };
        this.deps.store.tables.networkAttachments.putSync(next.lspName, next);
        if (!held) created(scope, next.lspName);
        this.record(scope, actor, held ? 'network.attachment-changed' : 'network.attached', machine.id, network.name, port, next);
        return next;
      });
      await this.deps.networks.fabric.call(
        `attach port ${port.portId} of machine ${machine.hostname} to network ${network.name}`,
        (fabric) => fabric.attachPort(portAttachment(attachment)),
      );
    }
  }

  /**
   * Waits until OVN reports every port's LSP on `target` up. Bounded by `timeoutMs` per sequence
   * step: a port not up by then fails with OvnClaimTimeoutError naming the port and smartNIC.
   */
  async waitUp(machine: Machine, target: NetworkTarget, timeoutMs: number): Promise<void> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    timer.unref();
    try {
      await Promise.all(
        smartNicPorts(machine).map(async (port) => {
          const lspName = this.ifaceId(machine.id, port, target);
          try {
            await this.deps.networks.fabric.call(`wait for port ${port.portId} (${lspName}) up`, (fabric) =>
              fabric.waitPortUp(lspName, timeoutMs + FABRIC_WAIT_GRACE_MS, controller.signal),
            );
          } catch (error) {
            if (timedOut) throw new OvnClaimTimeoutError(port.portId, port.agentId, timeoutMs);
            throw error;
          }
        }),
      );
    } finally {
      clearTimeout(timer);
      // The other ports' waits end with the first failure.
      controller.abort();
    }
  }

  /** Detaches the machine's attachments for which `drop` holds: the fabric's LSP, the record, its address. */
  async detach(
    actor: string,
    machine: Pick<Machine, 'id' | 'hostname' | 'ports'>,
    drop: (a: NetworkAttachment) => boolean,
  ): Promise<number> {
    const ports = smartNicPorts(machine);
    let n = 0;
    for (const attachment of this.of(machine.id).filter(drop)) {
      const port = ports.find((p) => p.uuid === attachment.portId) ?? {
        agentId: '',
        portId: attachment.portId,
        mac: attachment.mac,
        uuid: attachment.portId,
      };
      const network = this.deps.networks.networks.get(attachment.networkId);
      await this.deps.networks.fabric.call(`detach port ${port.portId} of machine ${machine.hostname}`, (fabric) =>
        fabric.detachPort(attachment.lspName),
      );
      await this.deps.store.write((scope) => {
        if (!this.deps.store.tables.networkAttachments.get(attachment.lspName)) return;
        this.deps.store.tables.networkAttachments.removeSync(attachment.lspName);
        this.deps.networks.networks.releaseAddressIn(scope, attachment.networkId, attachment.portId);
        this.record(scope, actor, 'network.detached', machine.id, network?.name ?? attachment.networkId, port, attachment);
      });
      n++;
    }
    return n;
  }

  private record(
    scope: WriteScope,
    actor: string,
    kind: string,
    machineId: string,
    network: string,
    port: SmartPort,
    a: NetworkAttachment,
  ): void {
    const verb = kind === 'network.detached' ? 'detached from' : kind === 'network.attached' ? 'attached to' : 'updated on';
    this.deps.events.append(scope, {
      actor,
      kind,
      machineId,
      why: `port ${port.portId} (${a.mac}) ${verb} network ${network} as logical port ${a.lspName}`,
      details: {
        network,
        networkId: a.networkId,
        lsp: a.lspName,
        port: port.portId,
        portId: a.portId,
        mac: a.mac,
        ip: a.ip ?? '',
        securityGroups: a.securityGroupIds.join(','),
      },
    });
  }
}

export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}
