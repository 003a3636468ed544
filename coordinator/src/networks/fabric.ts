// What the coordinator's network domain asks of the SDN that carries tenant networks. OVN's
// northbound database implements it (coordinator/src/ovn/); the domain (coordinator/src/networks/)
// decides what should exist and calls this to make it so. Every call is idempotent, touches only
// rows the fabric itself created (an ownership key in external_ids), and either applies whole or
// not at all (one OVSDB transaction per call).

/** A tenant network: one isolated layer-2 segment (an OVN Logical_Switch). */
export interface NetworkSpec {
  /** Mooring's id for the network (a UUID), stable for its life. */
  readonly id: string;
  readonly name: string;
  /** IPv4 CIDR of the subnet, when the network has one. */
  readonly cidr?: string;
}

/** One security-group rule. Absent port bounds mean every port; absent remote means anywhere. */
export interface SecurityRule {
  readonly id: string;
  readonly direction: 'in' | 'out';
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'any';
  /** 1-65535, only with tcp or udp; portMax >= portMin. */
  readonly portMin?: number;
  readonly portMax?: number;
  /** An IPv4 CIDR the traffic must come from (in) or go to (out). */
  readonly remoteCidr?: string;
  /** Or: the ports of this security group (by id). */
  readonly remoteGroupId?: string;
}

/** A security group: an OVN Port_Group of the ports it applies to, with ACLs from its rules. */
export interface SecurityGroupSpec {
  readonly id: string;
  readonly name: string;
  readonly rules: readonly SecurityRule[];
}

/** One smartNIC port of a machine attached to a network: an OVN Logical_Switch_Port. */
export interface PortAttachment {
  /** The LSP's name: a fresh UUID, which the smartNIC agent sets as the OVS Interface iface-id. */
  readonly lspName: string;
  readonly networkId: string;
  readonly machineId: string;
  /** Mooring's port id (the machine port this LSP carries). */
  readonly portId: string;
  /** The port's MAC (lower-case, colon-separated). */
  readonly mac: string;
  /** An IPv4 address from the network's CIDR, when it has one. */
  readonly ip?: string;
  /** Security groups the port is in (ids). None: only network isolation applies. */
  readonly securityGroupIds: readonly string[];
}

/** What OVN says of one LSP. */
export interface LogicalPortState {
  readonly lspName: string;
  readonly exists: boolean;
  /** Logical_Switch_Port.up: ovn-controller has claimed the port and installed its flows. */
  readonly up: boolean;
  /** The chassis (ovn-controller's system-id) that claimed it, when OVN reports one. */
  readonly chassis?: string;
}

/** Everything Mooring wants to exist, for reconcile. */
export interface DesiredFabric {
  readonly networks: readonly NetworkSpec[];
  readonly securityGroups: readonly SecurityGroupSpec[];
  readonly attachments: readonly PortAttachment[];
}

/** What reconcile changed (names of the rows it created or removed). */
export interface ReconcileReport {
  readonly created: readonly string[];
  readonly removed: readonly string[];
}

export interface NetworkFabric {
  ensureNetwork(network: NetworkSpec): Promise<void>;
  /** Removes the network's switch. The domain refuses this while ports are attached. */
  deleteNetwork(networkId: string): Promise<void>;
  /** Creates the group or replaces its ACLs so they match `group.rules` exactly; live on attached ports. */
  ensureSecurityGroup(group: SecurityGroupSpec): Promise<void>;
  deleteSecurityGroup(groupId: string): Promise<void>;
  /** Creates the LSP (or makes an existing one with this name match) and puts it in its groups. */
  attachPort(attachment: PortAttachment): Promise<void>;
  /** Removes the LSP and its group memberships; no error if it is already gone. */
  detachPort(lspName: string): Promise<void>;
  portState(lspName: string): Promise<LogicalPortState>;
  /**
   * Resolves when OVN reports the LSP up (event-driven, from a monitor), or rejects after
   * `timeoutMs` with an error naming the port, or when `signal` aborts.
   */
  waitPortUp(lspName: string, timeoutMs: number, signal?: AbortSignal): Promise<LogicalPortState>;
  /** Makes the owned rows match `desired`: creates what is missing, removes owned orphans, never touches foreign rows. */
  reconcile(desired: DesiredFabric): Promise<ReconcileReport>;
}
