// What OVN says of one logical port, read from the replicas: NB Logical_Switch_Port.up (set by
// ovn-northd once ovn-controller has claimed the port and installed its flows) and, when the
// southbound database is monitored too, the chassis of its SB Port_Binding. NB itself does not
// name the chassis, so without SB `chassis` stays undefined.

import type { LogicalPortState } from '../networks/fabric.js';
import type { Replica } from '../../../proto/ovsdb/replica.js';
import type { ChassisRow, LogicalSwitchPortRow, PortBindingRow } from './nb-rows.js';

export function readPortState(nb: Replica, sb: Replica | undefined, lspName: string): LogicalPortState {
  const lsp = nb.find('Logical_Switch_Port', 'name', lspName) as LogicalSwitchPortRow | undefined;
  if (!lsp) return { lspName, exists: false, up: false };
  const chassis = sb ? chassisOf(sb, lspName) : undefined;
  return { lspName, exists: true, up: lsp.up === true, ...(chassis !== undefined ? { chassis } : {}) };
}

function chassisOf(sb: Replica, lspName: string): string | undefined {
  const binding = sb.find('Port_Binding', 'logical_port', lspName) as PortBindingRow | undefined;
  if (!binding?.chassis) return undefined;
  return (sb.get('Chassis', binding.chassis) as ChassisRow | undefined)?.name;
}

/** Up, and (when SB is watched) with its chassis known: the NB and SB updates may come in either order. */
export function isSettledUp(state: LogicalPortState, watchingSb: boolean): boolean {
  return state.up && (!watchingSb || state.chassis !== undefined);
}
