// Original file: mooring/v1/vmhosts.proto

import type { LxdNicRequest as _mooring_v1_LxdNicRequest, LxdNicRequest__Output as _mooring_v1_LxdNicRequest__Output } from '../../mooring/v1/LxdNicRequest.js';
import type { Long } from '@grpc/proto-loader';

export interface ComposeVmRequest {
  'host'?: (string);
  /**
   * Default: generated (vm-<hex>). Also the machine's hostname.
   */
  'name'?: (string);
  'cores'?: (number);
  /**
   * Pinned CPU set on one NUMA node ("0-3", "0,2"); overrides numa_node.
   */
  'pinnedCpus'?: (string);
  /**
   * With pin_numa_node: pin `cores` CPUs of this NUMA node.
   */
  'numaNode'?: (number);
  'memoryBytes'?: (number | string | Long);
  'hugepages'?: (boolean);
  'diskBytes'?: (number | string | Long);
  'pool'?: (string);
  /**
   * container or virtual-machine (default).
   */
  'type'?: (string);
  'nics'?: (_mooring_v1_LxdNicRequest)[];
  /**
   * Default: the host's image for a container; none for a virtual-machine (it netboots).
   */
  'image'?: (string);
  'pinNumaNode'?: (boolean);
}

export interface ComposeVmRequest__Output {
  'host': (string);
  /**
   * Default: generated (vm-<hex>). Also the machine's hostname.
   */
  'name': (string);
  'cores': (number);
  /**
   * Pinned CPU set on one NUMA node ("0-3", "0,2"); overrides numa_node.
   */
  'pinnedCpus': (string);
  /**
   * With pin_numa_node: pin `cores` CPUs of this NUMA node.
   */
  'numaNode': (number);
  'memoryBytes': (number);
  'hugepages': (boolean);
  'diskBytes': (number);
  'pool': (string);
  /**
   * container or virtual-machine (default).
   */
  'type': (string);
  'nics': (_mooring_v1_LxdNicRequest__Output)[];
  /**
   * Default: the host's image for a container; none for a virtual-machine (it netboots).
   */
  'image': (string);
  'pinNumaNode': (boolean);
}
