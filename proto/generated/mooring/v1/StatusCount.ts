// Original file: mooring/v1/machines.proto

import type { MachineStatus as _mooring_v1_MachineStatus, MachineStatus__Output as _mooring_v1_MachineStatus__Output } from '../../mooring/v1/MachineStatus.js';

/**
 * How many machines of one status the caller may see.
 */
export interface StatusCount {
  'status'?: (_mooring_v1_MachineStatus);
  'count'?: (number);
}

/**
 * How many machines of one status the caller may see.
 */
export interface StatusCount__Output {
  'status': (_mooring_v1_MachineStatus__Output);
  'count': (number);
}
