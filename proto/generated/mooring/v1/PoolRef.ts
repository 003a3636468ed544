// Original file: mooring/v1/pools.proto


export interface PoolRef {
  'name'?: (string);
}

export interface PoolRef__Output {
  'name': (string);
}
