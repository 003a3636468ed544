// Original file: mooring/v1/machines.proto

import type { MachineStatus as _mooring_v1_MachineStatus, MachineStatus__Output as _mooring_v1_MachineStatus__Output } from '../../mooring/v1/MachineStatus.js';

export interface ListMachinesRequest {
  'status'?: (_mooring_v1_MachineStatus);
  'pool'?: (string);
  'owner'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListMachinesRequest__Output {
  'status': (_mooring_v1_MachineStatus__Output);
  'pool': (string);
  'owner': (string);
  'pageSize': (number);
  'pageToken': (string);
}
