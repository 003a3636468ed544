// Original file: mooring/v1/machines.proto

import type { HardwareSource as _mooring_v1_HardwareSource, HardwareSource__Output as _mooring_v1_HardwareSource__Output } from '../../mooring/v1/HardwareSource.js';
import type { HardwareNic as _mooring_v1_HardwareNic, HardwareNic__Output as _mooring_v1_HardwareNic__Output } from '../../mooring/v1/HardwareNic.js';
import type { HardwareDisk as _mooring_v1_HardwareDisk, HardwareDisk__Output as _mooring_v1_HardwareDisk__Output } from '../../mooring/v1/HardwareDisk.js';
import type { Long } from '@grpc/proto-loader';

/**
 * What the BMC reported at the machine's last commissioning that read any facts. Numbers are 0 and
 * strings empty where the BMC did not say (IPMI reports no cores, memory, NICs or disks).
 */
export interface HardwareFacts {
  'source'?: (_mooring_v1_HardwareSource);
  /**
   * When they were read (RFC 3339).
   */
  'gatheredAt'?: (string);
  /**
   * Physical cores and hardware threads, all sockets.
   */
  'cores'?: (number);
  'threads'?: (number);
  'memoryMib'?: (number | string | Long);
  'manufacturer'?: (string);
  'model'?: (string);
  'serial'?: (string);
  'nics'?: (_mooring_v1_HardwareNic)[];
  'disks'?: (_mooring_v1_HardwareDisk)[];
  /**
   * The BMC's own LAN MAC address.
   */
  'bmcMac'?: (string);
}

/**
 * What the BMC reported at the machine's last commissioning that read any facts. Numbers are 0 and
 * strings empty where the BMC did not say (IPMI reports no cores, memory, NICs or disks).
 */
export interface HardwareFacts__Output {
  'source': (_mooring_v1_HardwareSource__Output);
  /**
   * When they were read (RFC 3339).
   */
  'gatheredAt': (string);
  /**
   * Physical cores and hardware threads, all sockets.
   */
  'cores': (number);
  'threads': (number);
  'memoryMib': (number);
  'manufacturer': (string);
  'model': (string);
  'serial': (string);
  'nics': (_mooring_v1_HardwareNic__Output)[];
  'disks': (_mooring_v1_HardwareDisk__Output)[];
  /**
   * The BMC's own LAN MAC address.
   */
  'bmcMac': (string);
}
