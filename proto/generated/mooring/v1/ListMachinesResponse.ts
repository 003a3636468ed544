// Original file: mooring/v1/machines.proto

import type { Machine as _mooring_v1_Machine, Machine__Output as _mooring_v1_Machine__Output } from '../../mooring/v1/Machine.js';

export interface ListMachinesResponse {
  'machines'?: (_mooring_v1_Machine)[];
  'nextPageToken'?: (string);
}

export interface ListMachinesResponse__Output {
  'machines': (_mooring_v1_Machine__Output)[];
  'nextPageToken': (string);
}
