// Original file: mooring/v1/networks.proto

import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from '../../mooring/v1/Holder.js';
import type { SecurityRule as _mooring_v1_SecurityRule, SecurityRule__Output as _mooring_v1_SecurityRule__Output } from '../../mooring/v1/SecurityRule.js';

export interface SecurityGroup {
  'id'?: (string);
  'name'?: (string);
  'owner'?: (_mooring_v1_Holder | null);
  'rules'?: (_mooring_v1_SecurityRule)[];
  'createdAt'?: (string);
}

export interface SecurityGroup__Output {
  'id': (string);
  'name': (string);
  'owner': (_mooring_v1_Holder__Output | null);
  'rules': (_mooring_v1_SecurityRule__Output)[];
  'createdAt': (string);
}
