// Original file: mooring/v1/machines.proto

import type { MachineStatus as _mooring_v1_MachineStatus, MachineStatus__Output as _mooring_v1_MachineStatus__Output } from '../../mooring/v1/MachineStatus.js';
import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';
import type { PowerSettings as _mooring_v1_PowerSettings, PowerSettings__Output as _mooring_v1_PowerSettings__Output } from '../../mooring/v1/PowerSettings.js';
import type { PowerState as _mooring_v1_PowerState, PowerState__Output as _mooring_v1_PowerState__Output } from '../../mooring/v1/PowerState.js';
import type { Port as _mooring_v1_Port, Port__Output as _mooring_v1_Port__Output } from '../../mooring/v1/Port.js';
import type { HardwareFacts as _mooring_v1_HardwareFacts, HardwareFacts__Output as _mooring_v1_HardwareFacts__Output } from '../../mooring/v1/HardwareFacts.js';
import type { Long } from '@grpc/proto-loader';

export interface Machine {
  'id'?: (string);
  'hostname'?: (string);
  'arch'?: (string);
  /**
   * Cores and memory in effect: the hardware facts' figures where commissioning read them, else the
   * enlisted ones. Allocation constraints match these.
   */
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
  /**
   * Absent until a commissioning reads facts from the BMC. (Numbered from 30: other Machine fields
   * are being added alongside.)
   */
  'hardware'?: (_mooring_v1_HardwareFacts | null);
  /**
   * The cores and memory typed in at enlistment.
   */
  'enlistedCores'?: (number);
  'enlistedMemoryMib'?: (number | string | Long);
}

export interface Machine__Output {
  'id': (string);
  'hostname': (string);
  'arch': (string);
  /**
   * Cores and memory in effect: the hardware facts' figures where commissioning read them, else the
   * enlisted ones. Allocation constraints match these.
   */
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
  /**
   * Absent until a commissioning reads facts from the BMC. (Numbered from 30: other Machine fields
   * are being added alongside.)
   */
  'hardware': (_mooring_v1_HardwareFacts__Output | null);
  /**
   * The cores and memory typed in at enlistment.
   */
  'enlistedCores': (number);
  'enlistedMemoryMib': (number);
}
