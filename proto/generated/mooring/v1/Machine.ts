// Original file: mooring/v1/machines.proto

import type { MachineStatus as _mooring_v1_MachineStatus, MachineStatus__Output as _mooring_v1_MachineStatus__Output } from '../../mooring/v1/MachineStatus.js';
import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';
import type { PowerSettings as _mooring_v1_PowerSettings, PowerSettings__Output as _mooring_v1_PowerSettings__Output } from '../../mooring/v1/PowerSettings.js';
import type { PowerState as _mooring_v1_PowerState, PowerState__Output as _mooring_v1_PowerState__Output } from '../../mooring/v1/PowerState.js';
import type { Port as _mooring_v1_Port, Port__Output as _mooring_v1_Port__Output } from '../../mooring/v1/Port.js';
import type { Long } from '@grpc/proto-loader';

export interface Machine {
  'id'?: (string);
  'hostname'?: (string);
  'arch'?: (string);
  'cores'?: (number);
  'memoryMib'?: (number | string | Long);
  'tags'?: (string)[];
  'pool'?: (string);
  'zone'?: (string);
  'status'?: (_mooring_v1_MachineStatus);
  'statusReason'?: (string);
  'owner'?: (string);
  'reservedFor'?: (_mooring_v1_Holder | null);
  'power'?: (_mooring_v1_PowerSettings | null);
  'powerState'?: (_mooring_v1_PowerState);
  'ports'?: (_mooring_v1_Port)[];
  'annotations'?: ({[key: string]: string});
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface Machine__Output {
  'id': (string);
  'hostname': (string);
  'arch': (string);
  'cores': (number);
  'memoryMib': (number);
  'tags': (string)[];
  'pool': (string);
  'zone': (string);
  'status': (_mooring_v1_MachineStatus__Output);
  'statusReason': (string);
  'owner': (string);
  'reservedFor': (_mooring_v1_Holder__Output | null);
  'power': (_mooring_v1_PowerSettings__Output | null);
  'powerState': (_mooring_v1_PowerState__Output);
  'ports': (_mooring_v1_Port__Output)[];
  'annotations': ({[key: string]: string});
  'createdAt': (string);
  'updatedAt': (string);
}
