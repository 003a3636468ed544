// Original file: mooring/v1/lxd.proto

import type { LxdNicRequest as _mooring_v1_LxdNicRequest, LxdNicRequest__Output as _mooring_v1_LxdNicRequest__Output } from '../../mooring/v1/LxdNicRequest.js';
import type { Long } from '@grpc/proto-loader';

export interface LxdCompose {
  'name'?: (string);
  'type'?: (string);
  'cores'?: (number);
  'pinnedCpus'?: (string);
  'memoryBytes'?: (number | string | Long);
  'hugepages'?: (boolean);
  'rootDiskBytes'?: (number | string | Long);
  'pool'?: (string);
  'nics'?: (_mooring_v1_LxdNicRequest)[];
  'machineId'?: (string);
  /**
   * Image alias or fingerprint on the host.
   */
  'image'?: (string);
}

export interface LxdCompose__Output {
  'name': (string);
  'type': (string);
  'cores': (number);
  'pinnedCpus': (string);
  'memoryBytes': (number);
  'hugepages': (boolean);
  'rootDiskBytes': (number);
  'pool': (string);
  'nics': (_mooring_v1_LxdNicRequest__Output)[];
  'machineId': (string);
  /**
   * Image alias or fingerprint on the host.
   */
  'image': (string);
}
