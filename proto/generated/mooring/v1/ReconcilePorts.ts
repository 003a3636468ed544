// Original file: mooring/v1/agent.proto

import type { PortSpec as _mooring_v1_PortSpec, PortSpec__Output as _mooring_v1_PortSpec__Output } from '../../mooring/v1/PortSpec.js';

export interface ReconcilePorts {
  'ports'?: (_mooring_v1_PortSpec)[];
}

export interface ReconcilePorts__Output {
  'ports': (_mooring_v1_PortSpec__Output)[];
}
