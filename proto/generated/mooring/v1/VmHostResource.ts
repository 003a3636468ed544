// Original file: mooring/v1/vmhosts.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Capacity, usage and what is left for one resource, after the overcommit ratio.
 */
export interface VmHostResource {
  'ratio'?: (number | string);
  'capacity'?: (number | string | Long);
  'allowed'?: (number | string | Long);
  'used'?: (number | string | Long);
  'free'?: (number | string | Long);
}

/**
 * Capacity, usage and what is left for one resource, after the overcommit ratio.
 */
export interface VmHostResource__Output {
  'ratio': (number);
  'capacity': (number);
  'allowed': (number);
  'used': (number);
  'free': (number);
}
