// Original file: mooring/v1/tenancy.proto

import type { Token as _mooring_v1_Token, Token__Output as _mooring_v1_Token__Output } from '../../mooring/v1/Token.js';

export interface CreateTokenResponse {
  'token'?: (_mooring_v1_Token | null);
  'secret'?: (string);
}

export interface CreateTokenResponse__Output {
  'token': (_mooring_v1_Token__Output | null);
  'secret': (string);
}
