// Original file: mooring/v1/machines.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A disk the BMC reports (Redfish Storage Drives or SimpleStorage). size_bytes 0: not reported.
 */
export interface HardwareDisk {
  'name'?: (string);
  'sizeBytes'?: (number | string | Long);
  'model'?: (string);
  'serial'?: (string);
}

/**
 * A disk the BMC reports (Redfish Storage Drives or SimpleStorage). size_bytes 0: not reported.
 */
export interface HardwareDisk__Output {
  'name': (string);
  'sizeBytes': (number);
  'model': (string);
  'serial': (string);
}
