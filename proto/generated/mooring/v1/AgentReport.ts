// Original file: mooring/v1/agent.proto

import type { PortReport as _mooring_v1_PortReport, PortReport__Output as _mooring_v1_PortReport__Output } from '../../mooring/v1/PortReport.js';
import type { SriovReport as _mooring_v1_SriovReport, SriovReport__Output as _mooring_v1_SriovReport__Output } from '../../mooring/v1/SriovReport.js';
import type { LxdReport as _mooring_v1_LxdReport, LxdReport__Output as _mooring_v1_LxdReport__Output } from '../../mooring/v1/LxdReport.js';

export interface AgentReport {
  'ovsdbConnected'?: (boolean);
  'ovsVersion'?: (string);
  'bridge'?: (string);
  'bridges'?: (string)[];
  /**
   * The ports Mooring owns on the bridge, with their state.
   */
  'ports'?: (_mooring_v1_PortReport)[];
  /**
   * SR-IOV PFs, VFs, representors, eswitch and smartNIC mode (sriov.proto).
   */
  'sriov'?: (_mooring_v1_SriovReport | null);
  /**
   * VM hosts: the LXD project this agent manages.
   */
  'lxd'?: (_mooring_v1_LxdReport | null);
  /**
   * ovn-controller on this smartNIC: Open_vSwitch external_ids ovn-remote and system-id (its
   * chassis name); empty when unset (ovn-controller not configured).
   */
  'ovnRemote'?: (string);
  'ovnChassis'?: (string);
}

export interface AgentReport__Output {
  'ovsdbConnected': (boolean);
  'ovsVersion': (string);
  'bridge': (string);
  'bridges': (string)[];
  /**
   * The ports Mooring owns on the bridge, with their state.
   */
  'ports': (_mooring_v1_PortReport__Output)[];
  /**
   * SR-IOV PFs, VFs, representors, eswitch and smartNIC mode (sriov.proto).
   */
  'sriov': (_mooring_v1_SriovReport__Output | null);
  /**
   * VM hosts: the LXD project this agent manages.
   */
  'lxd': (_mooring_v1_LxdReport__Output | null);
  /**
   * ovn-controller on this smartNIC: Open_vSwitch external_ids ovn-remote and system-id (its
   * chassis name); empty when unset (ovn-controller not configured).
   */
  'ovnRemote': (string);
  'ovnChassis': (string);
}
