// Original file: mooring/v1/lxd.proto

import type { LxdNumaNode as _mooring_v1_LxdNumaNode, LxdNumaNode__Output as _mooring_v1_LxdNumaNode__Output } from '../../mooring/v1/LxdNumaNode.js';
import type { LxdNic as _mooring_v1_LxdNic, LxdNic__Output as _mooring_v1_LxdNic__Output } from '../../mooring/v1/LxdNic.js';
import type { LxdStoragePool as _mooring_v1_LxdStoragePool, LxdStoragePool__Output as _mooring_v1_LxdStoragePool__Output } from '../../mooring/v1/LxdStoragePool.js';
import type { LxdUsage as _mooring_v1_LxdUsage, LxdUsage__Output as _mooring_v1_LxdUsage__Output } from '../../mooring/v1/LxdUsage.js';
import type { LxdOtherUsage as _mooring_v1_LxdOtherUsage, LxdOtherUsage__Output as _mooring_v1_LxdOtherUsage__Output } from '../../mooring/v1/LxdOtherUsage.js';
import type { Long } from '@grpc/proto-loader';

export interface LxdResources {
  'cores'?: (number);
  'threads'?: (number);
  'memoryTotal'?: (number | string | Long);
  'memoryUsed'?: (number | string | Long);
  'hugepagesTotal'?: (number | string | Long);
  'hugepageSize'?: (number | string | Long);
  'numaNodes'?: (_mooring_v1_LxdNumaNode)[];
  'nics'?: (_mooring_v1_LxdNic)[];
  'pools'?: (_mooring_v1_LxdStoragePool)[];
  'tracked'?: (_mooring_v1_LxdUsage | null);
  /**
   * Unset when other_usage is LXD_OTHER_USAGE_UNKNOWN.
   */
  'other'?: (_mooring_v1_LxdUsage | null);
  'otherUsage'?: (_mooring_v1_LxdOtherUsage);
  /**
   * Why other_usage is unknown, in words; empty otherwise.
   */
  'otherUsageNote'?: (string);
}

export interface LxdResources__Output {
  'cores': (number);
  'threads': (number);
  'memoryTotal': (number);
  'memoryUsed': (number);
  'hugepagesTotal': (number);
  'hugepageSize': (number);
  'numaNodes': (_mooring_v1_LxdNumaNode__Output)[];
  'nics': (_mooring_v1_LxdNic__Output)[];
  'pools': (_mooring_v1_LxdStoragePool__Output)[];
  'tracked': (_mooring_v1_LxdUsage__Output | null);
  /**
   * Unset when other_usage is LXD_OTHER_USAGE_UNKNOWN.
   */
  'other': (_mooring_v1_LxdUsage__Output | null);
  'otherUsage': (_mooring_v1_LxdOtherUsage__Output);
  /**
   * Why other_usage is unknown, in words; empty otherwise.
   */
  'otherUsageNote': (string);
}
