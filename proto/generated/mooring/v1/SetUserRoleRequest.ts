// Original file: mooring/v1/tenancy.proto

import type { Role as _mooring_v1_Role, Role__Output as _mooring_v1_Role__Output } from '../../mooring/v1/Role.js';

export interface SetUserRoleRequest {
  'name'?: (string);
  'role'?: (_mooring_v1_Role);
}

export interface SetUserRoleRequest__Output {
  'name': (string);
  'role': (_mooring_v1_Role__Output);
}
