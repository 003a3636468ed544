// The ports of a machine (ARCHITECTURE.md "Coordinator model", Ironic's port model): a MAC, whether
// it sits behind a smartNIC and, if so, the agent on that smartNIC and the port (representor) the
// agent binds on br-int. Anyone who can see a machine reads its ports; only admins change them,
// and only while the machine is NEW, COMMISSIONING or READY, because the BIOS-halt sequencer binds
// exactly these ports once the machine is allocated. Each change is one write transaction through
// MachineWriter.update, recording an event that names the MAC.
import { portNameProblem } from '../../../proto/shared/ovs-names.js';
import { AGENT_NAME, AGENT_NAME_PROBLEM, smartNicAgentProblem } from '../agents/smartnic-agents.js';
import type { Clock } from '../clock.js';
import { InvalidArgumentError } from '../domain-error.js';
import { PortExistsError, PortNotFoundError } from './errors.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import { requireStatus } from './lifecycle.js';
import type { Machine, MachineStatus, Port } from './machine.js';
import type { MachineRegistry } from './machine-registry.js';
import type { MachineWriter } from './machine-writer.js';

export const PORT_FIELDS = ['mac', 'isSmartNic', 'smartNicAgentId', 'smartNicPortId', 'sshPublicKey', 'ovsdbCaCert'] as const;
export type PortField = (typeof PORT_FIELDS)[number];

/** The fields an update writes: a key present is written (null clears an optional field). */
export type PortChanges = { -readonly [K in PortField]?: Port[K] };

/** A MAC address as ports store it: lowercase, colon-separated. */
export const MAC_ADDRESS = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
export const MAX_PORTS = 64;

/** Connectivity may change only here; from ALLOCATED on, the sequencer owns the ports. */
const EDITABLE: readonly MachineStatus[] = ['NEW', 'COMMISSIONING', 'READY'];
const EDIT_ACTION = 'change ports (only while NEW, COMMISSIONING or READY)';

// Loose checks: the shape of an OpenSSH public key line, and one or more PEM certificate blocks.
const SSH_PUBLIC_KEY = /^(?:ssh|ecdsa)-[A-Za-z0-9@.+-]+ [A-Za-z0-9+/]+={0,3}(?: [^\r\n]*)?$/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;

export interface PortProblem {
  readonly field: PortField;
  readonly problem: string;
}

/**
 * The rules every stored port satisfies (Ironic's "Smart NIC Networking": a smartNIC port names
 * its agent and port; a plain port names neither). Returns the first problem, or null. The API's
 * request schemas and this editor both apply it, so enlisting, creating and updating agree.
 */
export function portProblem(port: Port): PortProblem | null {
  if (!MAC_ADDRESS.test(port.mac)) return { field: 'mac', problem: 'must be a MAC address like 52:54:00:12:34:56' };
  if (port.isSmartNic) {
    if (!port.smartNicAgentId) return { field: 'smartNicAgentId', problem: 'required for a smartNIC port' };
    if (!port.smartNicPortId) return { field: 'smartNicPortId', problem: 'required for a smartNIC port' };
  } else if (port.smartNicAgentId && port.smartNicPortId) {
    return {
      field: 'isSmartNic',
      problem: 'false, but smart_nic_agent_id and smart_nic_port_id are set: a plain port carries neither (set is_smart_nic or clear both)',
    };
  }
  if (port.smartNicAgentId && !AGENT_NAME.test(port.smartNicAgentId)) return { field: 'smartNicAgentId', problem: AGENT_NAME_PROBLEM };
  // The agent binds this name on br-int, and the sequencer also sends it as the iface-id: it must
  // pass the agent's own checks (proto/shared/ovs-names.ts), or the deploy would fail only then.
  const portIdProblem = port.smartNicPortId ? portNameProblem(port.smartNicPortId) : null;
  if (portIdProblem) return { field: 'smartNicPortId', problem: `${portIdProblem} (it is the interface name the agent binds)` };
  if (port.sshPublicKey !== null && !SSH_PUBLIC_KEY.test(port.sshPublicKey.trim())) {
    return { field: 'sshPublicKey', problem: 'must be an OpenSSH public key line (ssh-... or ecdsa-... followed by the base64 key)' };
  }
  if (port.ovsdbCaCert !== null && !isPemCertificates(port.ovsdbCaCert)) {
    return { field: 'ovsdbCaCert', problem: 'must be a PEM certificate (-----BEGIN CERTIFICATE----- ...)' };
  }
  return null;
}

function isPemCertificates(text: string): boolean {
  const blocks = text.match(PEM_CERTIFICATE);
  return blocks !== null && text.replace(PEM_CERTIFICATE, '').trim() === '';
}

/** "smartNicAgentId" -> "smart_nic_agent_id", as the proto names it. */
export function protoPortField(field: PortField): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function checkPort(port: Port): void {
  const problem = portProblem(port);
  if (problem) throw new InvalidArgumentError(`port.${protoPortField(problem.field)}`, problem.problem);
}

// These belong in machines/errors.ts; they live here while that file is outside this change.
/** A port with the machine it belongs to (as it was read or written). */
export interface MachinePort {
  readonly machine: Machine;
  readonly port: Port;
}

export interface PortEditorDeps {
  readonly store: Store;
  readonly registry: MachineRegistry;
  readonly writer: MachineWriter;
  readonly clock: Clock;
}

export class PortEditor {
  constructor(private readonly deps: PortEditorDeps) {}

  /** The ports of a machine `principal` can see (NOT_FOUND otherwise). */
  list(principal: Principal, machineRef: string): { machine: Machine; ports: readonly Port[] } {
    const machine = this.deps.registry.getVisible(principal, machineRef);
    return { machine, ports: machine.ports };
  }

  get(principal: Principal, machineRef: string, mac: string): MachinePort {
    const machine = this.deps.registry.getVisible(principal, machineRef);
    return { machine, port: findPort(machine, mac) };
  }

  async create(actor: Principal, machineRef: string, port: Port): Promise<MachinePort> {
    requireAdmin(actor, 'change ports');
    checkPort(port);
    return this.deps.store.write((scope) => {
      const machine = this.editable(actor, machineRef);
      this.checkAgent(port);
      if (machine.ports.some((p) => p.mac === port.mac)) throw new PortExistsError(machine.id, port.mac);
      if (machine.ports.length >= MAX_PORTS)
        throw new InvalidArgumentError('port', `machine ${machine.id} already has ${MAX_PORTS} ports, the most it may have`);
      const after = this.deps.writer.update(
        scope,
        actor.user,
        machine,
        { ...machine, ports: [...machine.ports, port] },
        'machine.port-created',
        `port ${port.mac}`,
        describe(port),
      );
      return { machine: after, port };
    });
  }

  /**
   * Writes the fields present in `changes` (an update mask) over the port `mac`; the result must
   * satisfy the same rules as a new port, so flipping is_smart_nic off needs the ids cleared too.
   */
  async update(actor: Principal, machineRef: string, mac: string, changes: PortChanges): Promise<MachinePort> {
    requireAdmin(actor, 'change ports');
    return this.deps.store.write((scope) => {
      const machine = this.editable(actor, machineRef);
      const before = findPort(machine, mac);
      const port: Port = { ...before, ...changes };
      checkPort(port);
      const changed = PORT_FIELDS.filter((field) => port[field] !== before[field]);
      if (changed.length === 0) return { machine, port };
      // Only a newly named agent is looked up: a port keeps working through edits of other fields.
      if (port.smartNicAgentId !== before.smartNicAgentId) this.checkAgent(port);
      if (port.mac !== before.mac && machine.ports.some((p) => p.mac === port.mac)) throw new PortExistsError(machine.id, port.mac);
      const ports = machine.ports.map((p) => (p.mac === before.mac ? port : p));
      const details = {
        ...describe(port),
        changed: changed.map(protoPortField).join(','),
        ...(port.mac !== before.mac ? { previousMac: before.mac } : {}),
      };
      const after = this.deps.writer.update(
        scope,
        actor.user,
        machine,
        { ...machine, ports },
        'machine.port-updated',
        `port ${port.mac}`,
        details,
      );
      return { machine: after, port };
    });
  }

  async delete(actor: Principal, machineRef: string, mac: string): Promise<Machine> {
    requireAdmin(actor, 'change ports');
    return this.deps.store.write((scope) => {
      const machine = this.editable(actor, machineRef);
      const port = findPort(machine, mac);
      const ports = machine.ports.filter((p) => p !== port);
      return this.deps.writer.update(
        scope,
        actor.user,
        machine,
        { ...machine, ports },
        'machine.port-deleted',
        `port ${port.mac}`,
        describe(port),
      );
    });
  }

  /** The smartNIC agent a port names must exist (or be announced by an enrollment token). */
  private checkAgent(port: Port): void {
    if (!port.smartNicAgentId) return;
    const problem = smartNicAgentProblem(this.deps.store.tables, port.smartNicAgentId, this.deps.clock.now());
    if (problem) throw new InvalidArgumentError(`port.${protoPortField('smartNicAgentId')}`, problem);
  }

  /** Re-read inside the transaction: visible (else NOT_FOUND) and in a status that allows changes. */
  private editable(actor: Principal, machineRef: string): Machine {
    const machine = this.deps.registry.getVisible(actor, machineRef);
    requireStatus(machine, EDITABLE, EDIT_ACTION);
    return machine;
  }
}

function findPort(machine: Machine, mac: string): Port {
  const port = machine.ports.find((p) => p.mac === mac.toLowerCase());
  if (!port) throw new PortNotFoundError(machine.id, mac.toLowerCase());
  return port;
}

/** Event details: what identifies the port on the wire; never the key or certificate bodies. */
function describe(port: Port): Record<string, string> {
  const details: Record<string, string> = { mac: port.mac, smartNic: String(port.isSmartNic) };
  if (port.smartNicAgentId) details['agent'] = port.smartNicAgentId;
  if (port.smartNicPortId) details['portId'] = port.smartNicPortId;
  return details;
}
