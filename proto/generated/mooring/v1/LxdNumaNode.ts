// Original file: mooring/v1/lxd.proto

import type { Long } from '@grpc/proto-loader';

export interface LxdNumaNode {
  'node'?: (number);
  /**
   * Thread ids (LXD's cpu ids) on this node.
   */
  'cpus'?: (number)[];
  'memoryTotal'?: (number | string | Long);
  'memoryUsed'?: (number | string | Long);
  'hugepagesTotal'?: (number | string | Long);
  'hugepagesUsed'?: (number | string | Long);
}

export interface LxdNumaNode__Output {
  'node': (number);
  /**
   * Thread ids (LXD's cpu ids) on this node.
   */
  'cpus': (number)[];
  'memoryTotal': (number);
  'memoryUsed': (number);
  'hugepagesTotal': (number);
  'hugepagesUsed': (number);
}
