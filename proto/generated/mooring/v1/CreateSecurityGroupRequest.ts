// Original file: mooring/v1/networks.proto

import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';

export interface CreateSecurityGroupRequest {
  'name'?: (string);
  /**
   * Unset: the caller.
   */
  'owner'?: (_mooring_v1_Holder | null);
}

export interface CreateSecurityGroupRequest__Output {
  'name': (string);
  /**
   * Unset: the caller.
   */
  'owner': (_mooring_v1_Holder__Output | null);
}
