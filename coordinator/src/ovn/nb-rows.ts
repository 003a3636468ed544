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
    Logical_Switch_Port: { columns: ['name', 'addresses', 'port_security', 'up', 'external_ids'], where: owned(owner) },
    Port_Group: { columns: ['name', 'ports', 'acls', 'external_ids'], where: owned(owner) },
    ACL: { columns: ['priority', 'direction', 'match', 'action', 'external_ids'], where: owned(owner) },
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
