// Original file: mooring/v1/machines.proto

import type { MachineStatus as _mooring_v1_MachineStatus, MachineStatus__Output as _mooring_v1_MachineStatus__Output } from '../../mooring/v1/MachineStatus.js';

export interface ListMachinesRequest {
  'status'?: (_mooring_v1_MachineStatus);
  'pool'?: (string);
  'owner'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
  'zone'?: (string);
  /**
   * Only machines carrying every one of these tags.
   */
  'tags'?: (string)[];
  /**
   * Only machines reserved for this holder: "user:NAME", "group:NAME", a bare NAME (a user or a
   * group of that name), or "-" for unreserved machines.
   */
  'reservedFor'?: (string);
  /**
   * Also answer status_counts.
   */
  'withStatusCounts'?: (boolean);
}

export interface ListMachinesRequest__Output {
  'status': (_mooring_v1_MachineStatus__Output);
  'pool': (string);
  'owner': (string);
  'pageSize': (number);
  'pageToken': (string);
  'zone': (string);
  /**
   * Only machines carrying every one of these tags.
   */
  'tags': (string)[];
  /**
   * Only machines reserved for this holder: "user:NAME", "group:NAME", a bare NAME (a user or a
   * group of that name), or "-" for unreserved machines.
   */
  'reservedFor': (string);
  /**
   * Also answer status_counts.
   */
  'withStatusCounts': (boolean);
}
