// Original file: mooring/v1/pools.proto

import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';

export interface SetPoolReservationRequest {
  'name'?: (string);
  /**
   * Unset clears the rule.
   */
  'autoReserveFor'?: (_mooring_v1_Holder | null);
}

export interface SetPoolReservationRequest__Output {
  'name': (string);
  /**
   * Unset clears the rule.
   */
  'autoReserveFor': (_mooring_v1_Holder__Output | null);
}
