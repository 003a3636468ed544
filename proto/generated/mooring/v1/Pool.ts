// Original file: mooring/v1/pools.proto

import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';
import type { EraseMode as _mooring_v1_EraseMode, EraseMode__Output as _mooring_v1_EraseMode__Output } from '../../mooring/v1/EraseMode.js';

export interface Pool {
  'name'?: (string);
  'description'?: (string);
  /**
   * Machines of this pool that become READY unreserved are reserved for this holder in the same
   * transaction. Unset: no rule.
   */
  'autoReserveFor'?: (_mooring_v1_Holder | null);
  'eraseMode'?: (_mooring_v1_EraseMode);
}

export interface Pool__Output {
  'name': (string);
  'description': (string);
  /**
   * Machines of this pool that become READY unreserved are reserved for this holder in the same
   * transaction. Unset: no rule.
   */
  'autoReserveFor': (_mooring_v1_Holder__Output | null);
  'eraseMode': (_mooring_v1_EraseMode__Output);
}
