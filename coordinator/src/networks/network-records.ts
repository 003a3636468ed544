// The records of tenant networking as the coordinator stores them (store/tables.ts): networks,
// security groups with their rules, and the attachments of machine ports to networks. OVN holds
// what these records describe (fabric.ts); the records are the truth reconcile restores.
import type { Holder } from '../machines/machine.js';
import type { PortDhcp } from './fabric.js';

/** Who owns a network or security group: its members see and use it. */
export type Owner = Holder;

export interface Network {
  /** A UUID, stable for the network's life (the fabric names its switch from it). */
  readonly id: string;
  /** Unique among networks; the pool-name rules. */
  readonly name: string;
  /** The canonical IPv4 CIDR ("10.0.5.0/24"), or null for a network without addressing. */
  readonly cidr: string | null;
  readonly owner: Owner;
  readonly createdAt: number;
}

export const RULE_DIRECTIONS = ['in', 'out'] as const;
export type RuleDirection = (typeof RULE_DIRECTIONS)[number];
export const RULE_PROTOCOLS = ['tcp', 'udp', 'icmp', 'any'] as const;
export type RuleProtocol = (typeof RULE_PROTOCOLS)[number];

export interface SecurityRuleRecord {
  /** Unique within its group (8 hex digits). */
  readonly id: string;
  readonly direction: RuleDirection;
  readonly protocol: RuleProtocol;
  /** Both null: every port. Only with tcp or udp. */
  readonly portMin: number | null;
  readonly portMax: number | null;
  /** At most one of these; neither: anywhere. */
  readonly remoteCidr: string | null;
  readonly remoteGroupId: string | null;
}

export interface SecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly owner: Owner;
  readonly rules: readonly SecurityRuleRecord[];
  readonly createdAt: number;
}

/**
 * One machine port on a network: an OVN Logical_Switch_Port. Written by the sequencer when it
 * attaches a port, removed when it detaches it; read here to refuse deletes and to list machines.
 */
export interface NetworkAttachment {
  /** The LSP's name: a fresh UUID, also the iface-id the smartNIC agent binds with. */
  readonly lspName: string;
  readonly networkId: string;
  readonly machineId: string;
  /** Mooring's id of the machine port this LSP carries. */
  readonly portId: string;
  /** The port's MAC (the LSP's address and port security). */
  readonly mac: string;
  /** Allocated from the network's CIDR (allocateAddress), null when the network has none. */
  readonly ip: string | null;
  readonly securityGroupIds: readonly string[];
  /**
   * DHCP answered for this port alone (the provisioning network, networks/provisioning-network.ts).
   * Its boot URL carries a one-time token: never put it in events, logs or API output.
   */
  readonly dhcp?: PortDhcp;
}

export function ownerText(owner: Owner): string {
  return `${owner.kind}:${owner.name}`;
}
