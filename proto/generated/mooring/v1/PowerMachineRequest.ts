// Original file: mooring/v1/machines.proto

import type { PowerAction as _mooring_v1_PowerAction, PowerAction__Output as _mooring_v1_PowerAction__Output } from '../../mooring/v1/PowerAction.js';

export interface PowerMachineRequest {
  'machine'?: (string);
  'action'?: (_mooring_v1_PowerAction);
}

export interface PowerMachineRequest__Output {
  'machine': (string);
  'action': (_mooring_v1_PowerAction__Output);
}
