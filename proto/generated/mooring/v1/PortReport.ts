// Original file: mooring/v1/agent.proto

import type { PortSpec as _mooring_v1_PortSpec, PortSpec__Output as _mooring_v1_PortSpec__Output } from '../../mooring/v1/PortSpec.js';

export interface PortReport {
  'spec'?: (_mooring_v1_PortSpec | null);
  /**
   * active, pending or error.
   */
  'state'?: (string);
  'ofport'?: (number);
  'error'?: (string);
}

export interface PortReport__Output {
  'spec': (_mooring_v1_PortSpec__Output | null);
  /**
   * active, pending or error.
   */
  'state': (string);
  'ofport': (number);
  'error': (string);
}
