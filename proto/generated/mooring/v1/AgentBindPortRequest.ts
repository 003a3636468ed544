// Original file: mooring/v1/agent.proto

import type { PortSpec as _mooring_v1_PortSpec, PortSpec__Output as _mooring_v1_PortSpec__Output } from '../../mooring/v1/PortSpec.js';

export interface AgentBindPortRequest {
  'agent'?: (string);
  'port'?: (_mooring_v1_PortSpec | null);
  /**
   * Default 120 (the port-active wait of the BIOS-halt sequence).
   */
  'timeoutSeconds'?: (number);
}

export interface AgentBindPortRequest__Output {
  'agent': (string);
  'port': (_mooring_v1_PortSpec__Output | null);
  /**
   * Default 120 (the port-active wait of the BIOS-halt sequence).
   */
  'timeoutSeconds': (number);
}
