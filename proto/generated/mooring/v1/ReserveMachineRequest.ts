// Original file: mooring/v1/machines.proto

import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';

export interface ReserveMachineRequest {
  'machine'?: (string);
  'holder'?: (_mooring_v1_Holder | null);
}

export interface ReserveMachineRequest__Output {
  'machine': (string);
  'holder': (_mooring_v1_Holder__Output | null);
}
