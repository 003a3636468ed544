// Original file: mooring/v1/machines.proto

import type { BootDevice as _mooring_v1_BootDevice, BootDevice__Output as _mooring_v1_BootDevice__Output } from '../../mooring/v1/BootDevice.js';

export interface SetBootDeviceRequest {
  'machine'?: (string);
  'device'?: (_mooring_v1_BootDevice);
  /**
   * false: the next boot only.
   */
  'persistent'?: (boolean);
}

export interface SetBootDeviceRequest__Output {
  'machine': (string);
  'device': (_mooring_v1_BootDevice__Output);
  /**
   * false: the next boot only.
   */
  'persistent': (boolean);
}
