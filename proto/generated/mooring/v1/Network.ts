// Original file: mooring/v1/networks.proto

import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';
import type { NetworkAttachment as _mooring_v1_NetworkAttachment, NetworkAttachment__Output as _mooring_v1_NetworkAttachment__Output } from '../../mooring/v1/NetworkAttachment.js';

export interface Network {
  'id'?: (string);
  'name'?: (string);
  /**
   * IPv4 CIDR of the subnet ports get addresses from; "" for none.
   */
  'cidr'?: (string);
  'owner'?: (_mooring_v1_Holder | null);
  'createdAt'?: (string);
  /**
   * GetNetwork only: the machine ports attached to it.
   */
  'attachments'?: (_mooring_v1_NetworkAttachment)[];
}

export interface Network__Output {
  'id': (string);
  'name': (string);
  /**
   * IPv4 CIDR of the subnet ports get addresses from; "" for none.
   */
  'cidr': (string);
  'owner': (_mooring_v1_Holder__Output | null);
  'createdAt': (string);
  /**
   * GetNetwork only: the machine ports attached to it.
   */
  'attachments': (_mooring_v1_NetworkAttachment__Output)[];
}
