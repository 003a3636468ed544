// Original file: mooring/v1/pools.proto

import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';

export interface Pool {
  'name'?: (string);
  'description'?: (string);
  /**
   * Machines of this pool that become READY unreserved are reserved for this holder in the same
   * transaction. Unset: no rule.
   */
  'autoReserveFor'?: (_mooring_v1_Holder | null);
}

export interface Pool__Output {
  'name': (string);
  'description': (string);
  /**
   * Machines of this pool that become READY unreserved are reserved for this holder in the same
   * transaction. Unset: no rule.
   */
  'autoReserveFor': (_mooring_v1_Holder__Output | null);
}
