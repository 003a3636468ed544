// Original file: mooring/v1/lxd.proto

import type { LxdNicRequest as _mooring_v1_LxdNicRequest, LxdNicRequest__Output as _mooring_v1_LxdNicRequest__Output } from '../../mooring/v1/LxdNicRequest.js';
import type { Long } from '@grpc/proto-loader';

export interface LxdInstance {
  'name'?: (string);
  /**
   * container or virtual-machine.
   */
  'type'?: (string);
  /**
   * LXD's status: Running, Stopped, ...
   */
  'status'?: (string);
  'cores'?: (number);
  /**
   * limits.cpu when pinned ("0-3" or "0,2"), empty otherwise.
   */
  'pinnedCpus'?: (string);
  'memoryBytes'?: (number | string | Long);
  'hugepages'?: (boolean);
  'rootDiskBytes'?: (number | string | Long);
  'pool'?: (string);
  'nics'?: (_mooring_v1_LxdNicRequest)[];
  'createdAt'?: (string);
  /**
   * user.mooring.machine-id when Mooring composed it.
   */
  'machineId'?: (string);
}

export interface LxdInstance__Output {
  'name': (string);
  /**
   * container or virtual-machine.
   */
  'type': (string);
  /**
   * LXD's status: Running, Stopped, ...
   */
  'status': (string);
  'cores': (number);
  /**
   * limits.cpu when pinned ("0-3" or "0,2"), empty otherwise.
   */
  'pinnedCpus': (string);
  'memoryBytes': (number);
  'hugepages': (boolean);
  'rootDiskBytes': (number);
  'pool': (string);
  'nics': (_mooring_v1_LxdNicRequest__Output)[];
  'createdAt': (string);
  /**
   * user.mooring.machine-id when Mooring composed it.
   */
  'machineId': (string);
}
