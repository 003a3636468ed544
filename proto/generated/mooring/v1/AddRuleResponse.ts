// Original file: mooring/v1/networks.proto

import type { SecurityGroup as _mooring_v1_SecurityGroup, SecurityGroup__Output as _mooring_v1_SecurityGroup__Output } from '../../mooring/v1/SecurityGroup.js';
import type { SecurityRule as _mooring_v1_SecurityRule, SecurityRule__Output as _mooring_v1_SecurityRule__Output } from '../../mooring/v1/SecurityRule.js';

export interface AddRuleResponse {
  'group'?: (_mooring_v1_SecurityGroup | null);
  'rule'?: (_mooring_v1_SecurityRule | null);
}

export interface AddRuleResponse__Output {
  'group': (_mooring_v1_SecurityGroup__Output | null);
  'rule': (_mooring_v1_SecurityRule__Output | null);
}
