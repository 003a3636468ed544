// Original file: mooring/v1/machines.proto

import type { AllocationConstraints as _mooring_v1_AllocationConstraints, AllocationConstraints__Output as _mooring_v1_AllocationConstraints__Output } from '../../mooring/v1/AllocationConstraints.js';

export interface AllocateMachineRequest {
  'constraints'?: (_mooring_v1_AllocationConstraints | null);
  'dryRun'?: (boolean);
  'annotations'?: ({[key: string]: string});
  'reason'?: (string);
}

export interface AllocateMachineRequest__Output {
  'constraints': (_mooring_v1_AllocationConstraints__Output | null);
  'dryRun': (boolean);
  'annotations': ({[key: string]: string});
  'reason': (string);
}
