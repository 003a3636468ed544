// Original file: mooring/v1/deploy.proto

import type { PortNetwork as _mooring_v1_PortNetwork, PortNetwork__Output as _mooring_v1_PortNetwork__Output } from '../../mooring/v1/PortNetwork.js';

export interface MachineNetworks {
  'ports'?: (_mooring_v1_PortNetwork)[];
}

export interface MachineNetworks__Output {
  'ports': (_mooring_v1_PortNetwork__Output)[];
}
