// Typed rows for the Open_vSwitch database tables the agent works with (vswitch.ovsschema).
// Column kinds follow the schema: optional columns decode to value|null, sets to arrays and maps
// to Map objects (see encoding.ts).

import type { Atom } from './encoding.js';
import type { MonitorSpec } from './monitor.js';
import type { Row } from './replica.js';

export const OVS_DB = 'Open_vSwitch';

export interface BridgeRow extends Row {
  name: string;
  ports: string[];
  datapath_type: string;
  external_ids: Map<Atom, Atom>;
}

export interface PortRow extends Row {
  name: string;
  interfaces: string[];
  external_ids: Map<Atom, Atom>;
}

export interface InterfaceRow extends Row {
  name: string;
  type: string;
  /** Assigned by ovs-vswitchd; -1 means adding the interface failed (see error). */
  ofport: number | null;
  error: string | null;
  link_state: string | null;
  mac_in_use: string | null;
  external_ids: Map<Atom, Atom>;
}

/** The columns the agent monitors: enough to bind ports and to see vswitchd apply them. */
export const OVS_MONITOR_SPEC: MonitorSpec = {
  Open_vSwitch: { columns: ['bridges', 'next_cfg', 'cur_cfg', 'ovs_version', 'db_version', 'external_ids'] },
  Bridge: { columns: ['name', 'ports', 'datapath_type', 'external_ids'] },
  Port: { columns: ['name', 'interfaces', 'external_ids'] },
  Interface: { columns: ['name', 'type', 'ofport', 'error', 'link_state', 'mac_in_use', 'external_ids'] },
};
