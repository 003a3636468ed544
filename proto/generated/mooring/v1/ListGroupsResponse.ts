// Original file: mooring/v1/tenancy.proto

import type { Group as _mooring_v1_Group, Group__Output as _mooring_v1_Group__Output } from '../../mooring/v1/Group.js';

export interface ListGroupsResponse {
  'groups'?: (_mooring_v1_Group)[];
}

export interface ListGroupsResponse__Output {
  'groups': (_mooring_v1_Group__Output)[];
}
