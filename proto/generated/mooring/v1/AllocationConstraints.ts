// Original file: mooring/v1/machines.proto

import type { SmartNicConstraint as _mooring_v1_SmartNicConstraint, SmartNicConstraint__Output as _mooring_v1_SmartNicConstraint__Output } from '../../mooring/v1/SmartNicConstraint.js';
import type { Long } from '@grpc/proto-loader';

export interface AllocationConstraints {
  /**
   * A machine id or hostname.
   */
  'name'?: (string);
  'arch'?: (string);
  'minCores'?: (number);
  'minMemoryMib'?: (number | string | Long);
  'tags'?: (string)[];
  'notTags'?: (string)[];
  'pool'?: (string);
  'zone'?: (string);
  'smartNic'?: (_mooring_v1_SmartNicConstraint);
}

export interface AllocationConstraints__Output {
  /**
   * A machine id or hostname.
   */
  'name': (string);
  'arch': (string);
  'minCores': (number);
  'minMemoryMib': (number);
  'tags': (string)[];
  'notTags': (string)[];
  'pool': (string);
  'zone': (string);
  'smartNic': (_mooring_v1_SmartNicConstraint__Output);
}
