// Original file: mooring/v1/networks.proto

import type { SecurityGroup as _mooring_v1_SecurityGroup, SecurityGroup__Output as _mooring_v1_SecurityGroup__Output } from '../../mooring/v1/SecurityGroup.js';

export interface ListSecurityGroupsResponse {
  'securityGroups'?: (_mooring_v1_SecurityGroup)[];
}

export interface ListSecurityGroupsResponse__Output {
  'securityGroups': (_mooring_v1_SecurityGroup__Output)[];
}
