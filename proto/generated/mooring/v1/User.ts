// Original file: mooring/v1/tenancy.proto

import type { Role as _mooring_v1_Role, Role__Output as _mooring_v1_Role__Output } from '../../mooring/v1/Role.js';

export interface User {
  'name'?: (string);
  'role'?: (_mooring_v1_Role);
  'groups'?: (string)[];
  'createdAt'?: (string);
}

export interface User__Output {
  'name': (string);
  'role': (_mooring_v1_Role__Output);
  'groups': (string)[];
  'createdAt': (string);
}
