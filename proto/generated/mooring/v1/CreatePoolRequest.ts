// Original file: mooring/v1/pools.proto

import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';

export interface CreatePoolRequest {
  'name'?: (string);
  'description'?: (string);
  'autoReserveFor'?: (_mooring_v1_Holder | null);
}

export interface CreatePoolRequest__Output {
  'name': (string);
  'description': (string);
  'autoReserveFor': (_mooring_v1_Holder__Output | null);
}
