// Original file: mooring/v1/pools.proto

import type { Pool as _mooring_v1_Pool, Pool__Output as _mooring_v1_Pool__Output } from '../../mooring/v1/Pool.js';

export interface ListPoolsResponse {
  'pools'?: (_mooring_v1_Pool)[];
}

export interface ListPoolsResponse__Output {
  'pools': (_mooring_v1_Pool__Output)[];
}
