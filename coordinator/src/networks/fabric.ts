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

/**
 * DHCPv4 answered for one port alone by ovn-controller on its smartNIC (an OVN DHCP_Options row of
 * the port's own, so what it carries, such as a boot URL with a one-time token, reaches only that
 * port). The port's `ip` is the address offered; the port must have one.
 */
export interface PortDhcp {
  /** The network's CIDR (DHCP_Options.cidr: the offer goes out when the port's IP is in it). */
  readonly cidr: string;
  /** server_id (option 54): an address in the CIDR that the port never holds. */
  readonly serverIp: string;
  /** server_mac: the Ethernet source of the answers. */
  readonly serverMac: string;
  /** lease_time (option 51), seconds. */
  readonly leaseSeconds: number;
  /** router (option 3), when clients should have one. */
  readonly router?: string;
  /** Option 67 for clients that send option 175, as iPXE does (OVN's bootfile_name). */
  readonly bootfile?: string;
  /** Option 67 for the others (OVN's bootfile_name_alt; OVN 23.03, ovn-nb(5)). */
  readonly bootfileAlt?: string;
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
  /** DHCP answered for this port alone (the provisioning network); absent: none. */
  readonly dhcp?: PortDhcp;
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
  /** Creates the LSP (or makes an existing one with this name match), puts it in its groups, sets or removes its DHCP. */
  attachPort(attachment: PortAttachment): Promise<void>;
  /** Removes the LSP, its group memberships and its DHCP options; no error if it is already gone. */
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
