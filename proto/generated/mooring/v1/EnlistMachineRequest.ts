// Original file: mooring/v1/machines.proto

import type { PowerSettings as _mooring_v1_PowerSettings, PowerSettings__Output as _mooring_v1_PowerSettings__Output } from '../../mooring/v1/PowerSettings.js';
import type { Port as _mooring_v1_Port, Port__Output as _mooring_v1_Port__Output } from '../../mooring/v1/Port.js';
import type { Long } from '@grpc/proto-loader';

export interface EnlistMachineRequest {
  'hostname'?: (string);
  'arch'?: (string);
  'cores'?: (number);
  'memoryMib'?: (number | string | Long);
  'tags'?: (string)[];
  'pool'?: (string);
  'zone'?: (string);
  'power'?: (_mooring_v1_PowerSettings | null);
  'ports'?: (_mooring_v1_Port)[];
  /**
   * Start commissioning right after enlisting (as MAAS does).
   */
  'commission'?: (boolean);
}

export interface EnlistMachineRequest__Output {
  'hostname': (string);
  'arch': (string);
  'cores': (number);
  'memoryMib': (number);
  'tags': (string)[];
  'pool': (string);
  'zone': (string);
  'power': (_mooring_v1_PowerSettings__Output | null);
  'ports': (_mooring_v1_Port__Output)[];
  /**
   * Start commissioning right after enlisting (as MAAS does).
   */
  'commission': (boolean);
}
