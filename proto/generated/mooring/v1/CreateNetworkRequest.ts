// Original file: mooring/v1/networks.proto

import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';

export interface CreateNetworkRequest {
  /**
   * Lowercase letters, digits, - or _, starting with a letter; unique.
   */
  'name'?: (string);
  /**
   * Optional: an IPv4 subnet /8 to /30, aligned (10.0.5.0/24), not overlapping the owner's other networks.
   */
  'cidr'?: (string);
  /**
   * Unset: the caller. Members may give it only to themselves or their groups.
   */
  'owner'?: (_mooring_v1_Holder | null);
}

export interface CreateNetworkRequest__Output {
  /**
   * Lowercase letters, digits, - or _, starting with a letter; unique.
   */
  'name': (string);
  /**
   * Optional: an IPv4 subnet /8 to /30, aligned (10.0.5.0/24), not overlapping the owner's other networks.
   */
  'cidr': (string);
  /**
   * Unset: the caller. Members may give it only to themselves or their groups.
   */
  'owner': (_mooring_v1_Holder__Output | null);
}
