// Plans the changes that make Mooring's OVN_Northbound rows match what a call asks for, from the
// replica of the owned rows (foreign rows are not in it), into one NbTransaction. Only what differs
// is written, so repeating a call writes nothing. Inputs are validated before planning.
//
// Row references: a Logical_Switch_Port exists while a Logical_Switch refers to it (LSP and ACL are
// non-root tables: OVSDB deletes them once no strong reference is left), and Port_Group.ports are
// weak references, dropped by OVSDB when the port goes. So detaching a port is removing it from its
// switch, and a group's ACLs are replaced by changing Port_Group.acls.

import { InvalidArgumentError } from '../domain-error.js';
import type { NetworkSpec, PortAttachment, SecurityGroupSpec } from '../networks/fabric.js';
import type { Replica } from '../../../proto/ovsdb/replica.js';
import { map, uuid } from '../../../proto/ovsdb/encoding.js';
import { type AclSpec, aclKey, defaultDropAcls, groupAcls } from './acl-plan.js';
import { FabricRowMissingError } from './errors.js';
import { type Ipv4Cidr, cidrContains, parseCidr, parseIpv4 } from './ipv4.js';
import { dhcpColumn, planPortDhcp, removeStrayDhcp } from './nb-dhcp.js';
import {
  sameList,
  sameMap,
  type AclRow,
  type DhcpOptionsRow,
  type LogicalSwitchPortRow,
  type LogicalSwitchRow,
  type PortGroupRow,
} from './nb-rows.js';
import {
  DEFAULT_DROP_PG,
  DEFAULT_DROP_ROLE,
  MACHINE_KEY,
  NAME_KEY,
  NETWORK_KEY,
  OWNER_KEY,
  PORT_KEY,
  ROLE_KEY,
  RULE_KEY,
  SG_KEY,
  portGroupName,
  switchName,
} from './names.js';
import { type NbTransaction, type RowRef } from './nb-transaction.js';

interface PlannedSwitch {
  ref: RowRef;
  cidr: Ipv4Cidr | undefined;
  networkId: string;
}

export class NbPlanner {
  private readonly switches = new Map<string, PlannedSwitch>();
  private readonly groups = new Map<string, RowRef>();
  private dropRef: RowRef | undefined;

  constructor(
    private readonly replica: Replica,
    private readonly owner: string,
    readonly tx: NbTransaction,
  ) {}

  // ---- reading the replica (owned rows only) ----

  switchRow(networkId: string): LogicalSwitchRow | undefined {
    return this.replica.find('Logical_Switch', 'name', switchName(networkId)) as LogicalSwitchRow | undefined;
  }

  lspRow(name: string): LogicalSwitchPortRow | undefined {
    return this.replica.find('Logical_Switch_Port', 'name', name) as LogicalSwitchPortRow | undefined;
  }

  groupRow(groupId: string): PortGroupRow | undefined {
    return this.replica.find('Port_Group', 'name', portGroupName(groupId)) as PortGroupRow | undefined;
  }

  dropRow(): PortGroupRow | undefined {
    return this.replica.find('Port_Group', 'name', DEFAULT_DROP_PG) as PortGroupRow | undefined;
  }

  switchRows(): LogicalSwitchRow[] {
    return [...this.replica.rows('Logical_Switch')] as LogicalSwitchRow[];
  }

  lspRows(): LogicalSwitchPortRow[] {
    return [...this.replica.rows('Logical_Switch_Port')] as LogicalSwitchPortRow[];
  }

  /** Security groups' Port_Groups (not the default-drop one). */
  groupRows(): PortGroupRow[] {
    return ([...this.replica.rows('Port_Group')] as PortGroupRow[]).filter((r) => r.external_ids.has(SG_KEY));
  }

  /** Ports' own DHCP options. */
  dhcpRows(): DhcpOptionsRow[] {
    return [...this.replica.rows('DHCP_Options')] as DhcpOptionsRow[];
  }

  aclRow(rowUuid: string): AclRow | undefined {
    return this.replica.get('ACL', rowUuid) as AclRow | undefined;
  }

  // ---- planning ----

  network(spec: NetworkSpec): void {
    const name = switchName(spec.id);
    const ext = { [OWNER_KEY]: this.owner, [NETWORK_KEY]: spec.id, [NAME_KEY]: spec.name };
    const other: Record<string, string> = spec.cidr !== undefined ? { subnet: spec.cidr } : {};
    const row = this.switchRow(spec.id);
    let ref: RowRef;
    if (row) {
      ref = uuid(row._uuid);
      if (!sameMap(row.external_ids, ext) || !sameMap(row.other_config, other)) {
        this.tx.update('Logical_Switch', row._uuid, { external_ids: map(ext), other_config: map(other) });
      }
    } else {
      ref = this.tx.insert('Logical_Switch', { name, external_ids: map(ext), other_config: map(other) }, name, name);
    }
    this.switches.set(spec.id, { ref, cidr: spec.cidr === undefined ? undefined : (parseCidr(spec.cidr) as Ipv4Cidr), networkId: spec.id });
  }

  removeNetwork(row: LogicalSwitchRow): void {
    this.tx.delete('Logical_Switch', row._uuid, row.name);
    for (const p of row.ports) {
      const lsp = this.replica.get('Logical_Switch_Port', p) as LogicalSwitchPortRow | undefined;
      if (lsp) this.tx.dropped('Logical_Switch_Port', lsp.name);
    }
  }

  /** Creates the group's Port_Group or makes its ACLs exactly the planned ones (ACLs not ours stay). */
  group(spec: SecurityGroupSpec): void {
    const name = portGroupName(spec.id);
    const ext = { [OWNER_KEY]: this.owner, [SG_KEY]: spec.id, [NAME_KEY]: spec.name };
    this.groups.set(spec.id, this.portGroup(name, ext, groupAcls(this.owner, spec), this.groupRow(spec.id)));
  }

  /** The default-drop Port_Group, created (with its two drop ACLs) or repaired when needed. */
  defaultDrop(): RowRef {
    if (!this.dropRef) {
      const ext = { [OWNER_KEY]: this.owner, [ROLE_KEY]: DEFAULT_DROP_ROLE };
      this.dropRef = this.portGroup(DEFAULT_DROP_PG, ext, defaultDropAcls(this.owner), this.dropRow());
    }
    return this.dropRef;
  }

  removeGroup(row: PortGroupRow): void {
    this.tx.delete('Port_Group', row._uuid, row.name);
    for (const a of row.acls) if (this.aclRow(a)) this.tx.dropped('ACL', aclLabel(row.name, this.aclRow(a)!.external_ids));
  }

  /** Creates the LSP or makes it match: addresses, switch, DHCP, security groups and default-drop membership. */
  attach(a: PortAttachment): void {
    const sw = this.plannedSwitch(a.networkId);
    if (a.ip !== undefined) checkIpInNetwork(a.ip, sw);
    const groupRefs = a.securityGroupIds.map((id, i) => {
      const ref = this.groups.get(id) ?? (this.groupRow(id) ? uuid(this.groupRow(id)!._uuid) : undefined);
      if (!ref) throw new FabricRowMissingError('security group', id, `attachment.securityGroupIds[${i}]`);
      return ref;
    });
    const address = a.ip !== undefined ? `${a.mac} ${a.ip}` : a.mac;
    const ext = { [OWNER_KEY]: this.owner, [NETWORK_KEY]: a.networkId, [PORT_KEY]: a.portId, [MACHINE_KEY]: a.machineId };
    const row = this.lspRow(a.lspName);
    const dhcp = planPortDhcp(this.tx, this.owner, this.dhcpRows(), a);
    if (!row) {
      const ref = this.tx.insert(
        'Logical_Switch_Port',
        { name: a.lspName, addresses: address, port_security: address, dhcpv4_options: dhcpColumn(dhcp), external_ids: map(ext) },
        a.lspName,
        a.lspName,
      );
      this.tx.addToSet('Logical_Switch', sw.ref, 'ports', ref);
      for (const g of groupRefs) this.tx.addToSet('Port_Group', g, 'ports', ref);
      if (groupRefs.length > 0) this.tx.addToSet('Port_Group', this.defaultDrop(), 'ports', ref);
      return;
    }
    const ref = uuid(row._uuid);
    if (!sameList(row.addresses, [address]) || !sameList(row.port_security, [address]) || !sameMap(row.external_ids, ext)) {
      this.tx.update('Logical_Switch_Port', row._uuid, { addresses: address, port_security: address, external_ids: map(ext) });
    }
    // A DHCP row inserted by this transaction (a named UUID) is always a change.
    const dhcpUuid = dhcp === null ? null : dhcp[0] === 'uuid' ? dhcp[1] : undefined;
    if ((row.dhcpv4_options ?? null) !== dhcpUuid) this.tx.update('Logical_Switch_Port', row._uuid, { dhcpv4_options: dhcpColumn(dhcp) });
    const holders = this.switchRows().filter((s) => s.ports.includes(row._uuid));
    if (!holders.some((s) => s._uuid === sw.ref[1])) this.tx.addToSet('Logical_Switch', sw.ref, 'ports', ref);
    for (const s of holders) if (s._uuid !== sw.ref[1]) this.tx.removeFromSet('Logical_Switch', uuid(s._uuid), 'ports', ref);
    // Security groups: in exactly the wanted ones.
    const wanted = new Set(groupRefs.map((g) => g[1]));
    for (const g of groupRefs) {
      const existing = g[0] === 'uuid' ? (this.replica.get('Port_Group', g[1]) as PortGroupRow | undefined) : undefined;
      if (!existing?.ports.includes(row._uuid)) this.tx.addToSet('Port_Group', g, 'ports', ref);
    }
    for (const pg of this.groupRows()) {
      if (pg.ports.includes(row._uuid) && !wanted.has(pg._uuid)) this.tx.removeFromSet('Port_Group', uuid(pg._uuid), 'ports', ref);
    }
    const drop = this.dropRow();
    const inDrop = drop?.ports.includes(row._uuid) ?? false;
    if (groupRefs.length > 0 && !inDrop) this.tx.addToSet('Port_Group', this.defaultDrop(), 'ports', ref);
    if (groupRefs.length === 0 && inDrop) this.tx.removeFromSet('Port_Group', uuid(drop!._uuid), 'ports', ref);
  }

  /** Takes the LSP out of its switches (OVSDB then deletes it and drops it from every group) and deletes its DHCP options. */
  detach(row: LogicalSwitchPortRow): void {
    this.dropDhcp(row.name);
    for (const s of this.switchRows()) {
      if (s.ports.includes(row._uuid)) this.tx.removeFromSet('Logical_Switch', uuid(s._uuid), 'ports', uuid(row._uuid));
    }
    this.tx.dropped('Logical_Switch_Port', row.name);
  }

  /** Deletes the DHCP options of the port `lspName` (also when the port itself is already gone). */
  dropDhcp(lspName: string): void {
    removeStrayDhcp(this.tx, this.dhcpRows(), (lsp) => lsp !== lspName);
  }

  /** Deletes the DHCP options of ports not in `keep` (reconcile). */
  removeStrayDhcp(keep: ReadonlySet<string>): void {
    removeStrayDhcp(this.tx, this.dhcpRows(), (lsp) => keep.has(lsp));
  }

  private plannedSwitch(networkId: string): PlannedSwitch {
    const planned = this.switches.get(networkId);
    if (planned) return planned;
    const row = this.switchRow(networkId);
    if (!row) throw new FabricRowMissingError('network', networkId, 'attachment.networkId');
    const subnet = row.other_config.get('subnet');
    const cidr = typeof subnet === 'string' ? parseCidr(subnet) : undefined;
    return { ref: uuid(row._uuid), cidr: typeof cidr === 'object' ? cidr : undefined, networkId };
  }

  private portGroup(name: string, ext: Record<string, string>, acls: AclSpec[], row: PortGroupRow | undefined): RowRef {
    if (!row) {
      const ref = this.tx.insert('Port_Group', { name, external_ids: map(ext) }, name, name);
      for (const acl of acls) this.tx.addToSet('Port_Group', ref, 'acls', this.insertAcl(name, acl));
      return ref;
    }
    const ref = uuid(row._uuid);
    if (!sameMap(row.external_ids, ext)) this.tx.update('Port_Group', row._uuid, { external_ids: map(ext) });
    // Keep the ACLs that already match; add the missing ones; remove our others (foreign ACLs stay).
    const current = new Map<string, string[]>();
    for (const a of row.acls) {
      const acl = this.aclRow(a);
      if (!acl) continue;
      const key = aclKey({
        direction: acl.direction as AclSpec['direction'],
        priority: acl.priority,
        match: acl.match,
        action: acl.action as AclSpec['action'],
        externalIds: recordOf(acl.external_ids),
      });
      current.set(key, [...(current.get(key) ?? []), a]);
    }
    for (const acl of acls) {
      const same = current.get(aclKey(acl));
      if (same && same.length > 0) same.shift();
      else this.tx.addToSet('Port_Group', ref, 'acls', this.insertAcl(name, acl));
    }
    for (const stale of [...current.values()].flat()) {
      this.tx.removeFromSet('Port_Group', ref, 'acls', uuid(stale));
      this.tx.dropped('ACL', aclLabel(name, this.aclRow(stale)!.external_ids));
    }
    return ref;
  }

  private insertAcl(pg: string, acl: AclSpec): RowRef {
    const row = {
      direction: acl.direction,
      priority: acl.priority,
      match: acl.match,
      action: acl.action,
      external_ids: map(acl.externalIds),
    };
    return this.tx.insert('ACL', row, aclLabel(pg, new Map(Object.entries(acl.externalIds))));
  }
}

function aclLabel(pg: string, ext: ReadonlyMap<unknown, unknown>): string {
  const what = ext.get(RULE_KEY) ?? ext.get(ROLE_KEY);
  return `${pg}/${typeof what === 'string' ? what : '?'}`;
}

function checkIpInNetwork(ip: string, sw: PlannedSwitch): void {
  if (!sw.cidr) throw new InvalidArgumentError('attachment.ip', `network ${sw.networkId} has no CIDR, so its ports take no IP address`);
  const address = parseIpv4(ip)!;
  if (!cidrContains(sw.cidr, address))
    throw new InvalidArgumentError('attachment.ip', `${ip} is not in network ${sw.networkId}'s ${sw.cidr.text}`);
  const size = 2 ** (32 - sw.cidr.prefix);
  if (address === sw.cidr.base || address === sw.cidr.base + size - 1) {
    throw new InvalidArgumentError('attachment.ip', `${ip} is the network or broadcast address of ${sw.cidr.text}`);
  }
}

function recordOf(m: ReadonlyMap<unknown, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of m) out[String(k)] = String(v);
  return out;
}
