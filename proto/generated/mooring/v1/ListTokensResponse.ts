// Original file: mooring/v1/tenancy.proto

import type { Token as _mooring_v1_Token, Token__Output as _mooring_v1_Token__Output } from '../../mooring/v1/Token.js';

export interface ListTokensResponse {
  'tokens'?: (_mooring_v1_Token)[];
}

export interface ListTokensResponse__Output {
  'tokens': (_mooring_v1_Token__Output)[];
}
