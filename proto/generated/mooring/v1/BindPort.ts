// Original file: mooring/v1/agent.proto

import type { PortSpec as _mooring_v1_PortSpec, PortSpec__Output as _mooring_v1_PortSpec__Output } from '../../mooring/v1/PortSpec.js';

export interface BindPort {
  'port'?: (_mooring_v1_PortSpec | null);
}

export interface BindPort__Output {
  'port': (_mooring_v1_PortSpec__Output | null);
}
