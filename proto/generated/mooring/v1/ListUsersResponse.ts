// Original file: mooring/v1/tenancy.proto

import type { User as _mooring_v1_User, User__Output as _mooring_v1_User__Output } from '../../mooring/v1/User.js';

export interface ListUsersResponse {
  'users'?: (_mooring_v1_User)[];
}

export interface ListUsersResponse__Output {
  'users': (_mooring_v1_User__Output)[];
}
