// Typed rows for the Open_vSwitch database tables the agent works with (vswitch.ovsschema), with
// the columns of OVS_MONITOR_SPEC below (a replica holds only the columns its monitor asked for).
// Column kinds follow the schema: optional columns decode to value|null, sets to arrays and maps
// to Map objects (see encoding.ts).

import type { Atom } from './encoding.js';
import type { MonitorSpec } from './monitor.js';
import type { Row } from './replica.js';

export const OVS_DB = 'Open_vSwitch';

export interface BridgeRow extends Row {
  name: string;
  ports: string[];
}

export interface PortRow extends Row {
  name: string;
  interfaces: string[];
  external_ids: Map<Atom, Atom>;
}

export interface InterfaceRow extends Row {
  name: string;
  /** Assigned by ovs-vswitchd; -1 means adding the interface failed (see error). */
  ofport: number | null;
  error: string | null;
  link_state: string | null;
  external_ids: Map<Atom, Atom>;
}

/**
 * The columns the agent monitors, and no more: every column here is sent, parsed and decoded for
 * every row that changes, and a batch of N ports changes 2N rows twice (our insert, then vswitchd
 * setting ofport and link state). Each one is read somewhere: cur_cfg (apply-waiter), ovs_version
 * and external_ids (status board, inventory), Bridge name and ports (port plan, inventory), Port
 * name, interfaces and external_ids (ownership), Interface name, ofport, error, link_state and
 * external_ids (port status). next_cfg is read back from our own transaction, not monitored.
 */
export const OVS_MONITOR_SPEC: MonitorSpec = {
  Open_vSwitch: { columns: ['cur_cfg', 'ovs_version', 'external_ids'] },
  Bridge: { columns: ['name', 'ports'] },
  Port: { columns: ['name', 'interfaces', 'external_ids'] },
  Interface: { columns: ['name', 'ofport', 'error', 'link_state', 'external_ids'] },
};
