// Original file: mooring/v1/pools.proto

import type { EraseMode as _mooring_v1_EraseMode, EraseMode__Output as _mooring_v1_EraseMode__Output } from '../../mooring/v1/EraseMode.js';

export interface SetPoolEraseModeRequest {
  'name'?: (string);
  /**
   * Unspecified: quick.
   */
  'eraseMode'?: (_mooring_v1_EraseMode);
}

export interface SetPoolEraseModeRequest__Output {
  'name': (string);
  /**
   * Unspecified: quick.
   */
  'eraseMode': (_mooring_v1_EraseMode__Output);
}
