// Typed rows of the OVN_Northbound and OVN_Southbound tables the fabric reads (ovn-nb.ovsschema,
// ovn-sb.ovsschema of OVN 23.03), and the monitors that keep them: only rows carrying the owner
// key, selected by the server (monitor_cond `includes` on external_ids), so foreign rows never
// reach the replica and cannot be touched by mistake.

import type { Atom } from '../../../proto/ovsdb/encoding.js';
import type { MonitorSpec } from '../../../proto/ovsdb/monitor.js';
import type { Row } from '../../../proto/ovsdb/replica.js';
import { OWNER_KEY } from './names.js';

export const NB_DB = 'OVN_Northbound';
export const SB_DB = 'OVN_Southbound';

export interface LogicalSwitchRow extends Row {
  name: string;
  ports: string[];
  other_config: Map<Atom, Atom>;
  external_ids: Map<Atom, Atom>;
}

export interface LogicalSwitchPortRow extends Row {
  name: string;
  addresses: string[];
  port_security: string[];
  /** The port's own DHCP_Options row (a weak reference), null when it has none. */
  dhcpv4_options: string | null;
  /** Set by ovn-northd from SB Port_Binding.up; null until then. */
  up: boolean | null;
  external_ids: Map<Atom, Atom>;
}

export interface PortGroupRow extends Row {
  name: string;
  ports: string[];
  acls: string[];
  external_ids: Map<Atom, Atom>;
}

export interface AclRow extends Row {
  priority: number;
  direction: string;
  match: string;
  action: string;
  external_ids: Map<Atom, Atom>;
}

/** A port's own DHCP options (a root table: it stays until deleted). */
export interface DhcpOptionsRow extends Row {
  cidr: string;
  options: Map<Atom, Atom>;
  external_ids: Map<Atom, Atom>;
}

export interface PortBindingRow extends Row {
  logical_port: string;
  chassis: string | null;
}

export interface ChassisRow extends Row {
  name: string;
}

function owned(owner: string): unknown[] {
  return [['external_ids', 'includes', ['map', [[OWNER_KEY, owner]]]]];
}

export function nbMonitorSpec(owner: string): MonitorSpec {
  return {
    Logical_Switch: { columns: ['name', 'ports', 'other_config', 'external_ids'], where: owned(owner) },
    Logical_Switch_Port: { columns: ['name', 'addresses', 'port_security', 'dhcpv4_options', 'up', 'external_ids'], where: owned(owner) },
    Port_Group: { columns: ['name', 'ports', 'acls', 'external_ids'], where: owned(owner) },
    ACL: { columns: ['priority', 'direction', 'match', 'action', 'external_ids'], where: owned(owner) },
    DHCP_Options: { columns: ['cidr', 'options', 'external_ids'], where: owned(owner) },
  };
}

/**
 * ovn-northd copies an LSP's external_ids to its Port_Binding, so the same owner condition selects
 * our bindings in SB; Chassis rows are few (one per smartNIC) and monitored whole.
 */
export function sbMonitorSpec(owner: string): MonitorSpec {
  return {
    Port_Binding: { columns: ['logical_port', 'chassis'], where: owned(owner) },
    Chassis: { columns: ['name'] },
  };
}

/** Whether an OVSDB map column holds exactly `want`. */
export function sameMap(m: ReadonlyMap<unknown, unknown>, want: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(want);
  return m.size === keys.length && keys.every((k) => m.get(k) === want[k]);
}

export function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
