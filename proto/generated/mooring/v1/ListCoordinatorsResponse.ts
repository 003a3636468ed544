// Original file: mooring/v1/agent.proto

import type { CoordinatorInfo as _mooring_v1_CoordinatorInfo, CoordinatorInfo__Output as _mooring_v1_CoordinatorInfo__Output } from '../../mooring/v1/CoordinatorInfo.js';

export interface ListCoordinatorsResponse {
  /**
   * In id order.
   */
  'coordinators'?: (_mooring_v1_CoordinatorInfo)[];
}

export interface ListCoordinatorsResponse__Output {
  /**
   * In id order.
   */
  'coordinators': (_mooring_v1_CoordinatorInfo__Output)[];
}
