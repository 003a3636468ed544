// Original file: mooring/v1/networks.proto

import type { PortRange as _mooring_v1_PortRange, PortRange__Output as _mooring_v1_PortRange__Output } from '../../mooring/v1/PortRange.js';

export interface AddRuleRequest {
  /**
   * The security group's name.
   */
  'group'?: (string);
  'direction'?: (string);
  'protocol'?: (string);
  'ports'?: (_mooring_v1_PortRange | null);
  'remoteCidr'?: (string);
  'remoteGroup'?: (string);
}

export interface AddRuleRequest__Output {
  /**
   * The security group's name.
   */
  'group': (string);
  'direction': (string);
  'protocol': (string);
  'ports': (_mooring_v1_PortRange__Output | null);
  'remoteCidr': (string);
  'remoteGroup': (string);
}
