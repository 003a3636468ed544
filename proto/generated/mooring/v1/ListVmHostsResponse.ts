// Original file: mooring/v1/vmhosts.proto

import type { VmHost as _mooring_v1_VmHost, VmHost__Output as _mooring_v1_VmHost__Output } from '../../mooring/v1/VmHost.js';

export interface ListVmHostsResponse {
  'hosts'?: (_mooring_v1_VmHost)[];
}

export interface ListVmHostsResponse__Output {
  'hosts': (_mooring_v1_VmHost__Output)[];
}
