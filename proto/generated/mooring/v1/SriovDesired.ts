// Original file: mooring/v1/sriov.proto

import type { SriovPfConfig as _mooring_v1_SriovPfConfig, SriovPfConfig__Output as _mooring_v1_SriovPfConfig__Output } from '../../mooring/v1/SriovPfConfig.js';
import type { Long } from '@grpc/proto-loader';

export interface SriovDesired {
  /**
   * Grows by one on every change the coordinator stores.
   */
  'revision'?: (number | string | Long);
  'pfs'?: (_mooring_v1_SriovPfConfig)[];
}

export interface SriovDesired__Output {
  /**
   * Grows by one on every change the coordinator stores.
   */
  'revision': (number);
  'pfs': (_mooring_v1_SriovPfConfig__Output)[];
}
