// Original file: mooring/v1/agent.proto

import type { NetInterface as _mooring_v1_NetInterface, NetInterface__Output as _mooring_v1_NetInterface__Output } from '../../mooring/v1/NetInterface.js';
import type { Long } from '@grpc/proto-loader';

export interface Inventory {
  'cpuModel'?: (string);
  'coresPhysical'?: (number);
  'coresLogical'?: (number);
  'memoryBytes'?: (number | string | Long);
  'os'?: (string);
  'kernel'?: (string);
  'interfaces'?: (_mooring_v1_NetInterface)[];
  'ovsVersion'?: (string);
  'bridges'?: (string)[];
  'role'?: (string);
  'hostname'?: (string);
  /**
   * Sources that could not be read, with the reason ("cpu: timed out after 3000 ms").
   */
  'errors'?: (string)[];
}

export interface Inventory__Output {
  'cpuModel': (string);
  'coresPhysical': (number);
  'coresLogical': (number);
  'memoryBytes': (number);
  'os': (string);
  'kernel': (string);
  'interfaces': (_mooring_v1_NetInterface__Output)[];
  'ovsVersion': (string);
  'bridges': (string)[];
  'role': (string);
  'hostname': (string);
  /**
   * Sources that could not be read, with the reason ("cpu: timed out after 3000 ms").
   */
  'errors': (string)[];
}
