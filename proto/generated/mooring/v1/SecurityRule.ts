// Original file: mooring/v1/networks.proto

import type { PortRange as _mooring_v1_PortRange, PortRange__Output as _mooring_v1_PortRange__Output } from '../../mooring/v1/PortRange.js';

export interface SecurityRule {
  /**
   * 8 hex digits, unique within its group.
   */
  'id'?: (string);
  /**
   * "in" or "out".
   */
  'direction'?: (string);
  /**
   * "tcp", "udp", "icmp" or "any".
   */
  'protocol'?: (string);
  /**
   * Unset: every port. Only tcp and udp rules have ports.
   */
  'ports'?: (_mooring_v1_PortRange | null);
  /**
   * At most one of these; neither: anywhere.
   */
  'remoteCidr'?: (string);
  /**
   * A security group name: traffic from (in) or to (out) its ports.
   */
  'remoteGroup'?: (string);
}

export interface SecurityRule__Output {
  /**
   * 8 hex digits, unique within its group.
   */
  'id': (string);
  /**
   * "in" or "out".
   */
  'direction': (string);
  /**
   * "tcp", "udp", "icmp" or "any".
   */
  'protocol': (string);
  /**
   * Unset: every port. Only tcp and udp rules have ports.
   */
  'ports': (_mooring_v1_PortRange__Output | null);
  /**
   * At most one of these; neither: anywhere.
   */
  'remoteCidr': (string);
  /**
   * A security group name: traffic from (in) or to (out) its ports.
   */
  'remoteGroup': (string);
}
