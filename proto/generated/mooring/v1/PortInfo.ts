// Original file: mooring/v1/ports.proto

import type { Port as _mooring_v1_Port, Port__Output as _mooring_v1_Port__Output } from '../../mooring/v1/Port.js';

export interface PortInfo {
  'machineId'?: (string);
  'port'?: (_mooring_v1_Port | null);
  /**
   * For smartNIC ports: the agent's mode and the VF or representor the port maps to, when known
   * (empty until the agent reports its SR-IOV state).
   */
  'smartNicMode'?: (string);
  'mapsTo'?: (string);
}

export interface PortInfo__Output {
  'machineId': (string);
  'port': (_mooring_v1_Port__Output | null);
  /**
   * For smartNIC ports: the agent's mode and the VF or representor the port maps to, when known
   * (empty until the agent reports its SR-IOV state).
   */
  'smartNicMode': (string);
  'mapsTo': (string);
}
