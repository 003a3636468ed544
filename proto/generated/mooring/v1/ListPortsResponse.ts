// Original file: mooring/v1/ports.proto

import type { PortInfo as _mooring_v1_PortInfo, PortInfo__Output as _mooring_v1_PortInfo__Output } from '../../mooring/v1/PortInfo.js';

export interface ListPortsResponse {
  'ports'?: (_mooring_v1_PortInfo)[];
}

export interface ListPortsResponse__Output {
  'ports': (_mooring_v1_PortInfo__Output)[];
}
