// Original file: mooring/v1/machines.proto

import type { Machine as _mooring_v1_Machine, Machine__Output as _mooring_v1_Machine__Output } from '../../mooring/v1/Machine.js';

export interface AllocateMachineResponse {
  'machine'?: (_mooring_v1_Machine | null);
  'dryRun'?: (boolean);
}

export interface AllocateMachineResponse__Output {
  'machine': (_mooring_v1_Machine__Output | null);
  'dryRun': (boolean);
}
