// Original file: mooring/v1/sriov.proto

import type { SriovVfReport as _mooring_v1_SriovVfReport, SriovVfReport__Output as _mooring_v1_SriovVfReport__Output } from '../../mooring/v1/SriovVfReport.js';

export interface SriovPfReport {
  'netdev'?: (string);
  'pciAddress'?: (string);
  'driver'?: (string);
  /**
   * -1: no NUMA affinity or unknown.
   */
  'numaNode'?: (number);
  'linkState'?: (string);
  'totalVfs'?: (number);
  'numVfs'?: (number);
  /**
   * legacy, switchdev, unsupported or unknown.
   */
  'eswitchMode'?: (string);
  'vendor'?: (string);
  'model'?: (string);
  'firmware'?: (string);
  'vfs'?: (_mooring_v1_SriovVfReport)[];
}

export interface SriovPfReport__Output {
  'netdev': (string);
  'pciAddress': (string);
  'driver': (string);
  /**
   * -1: no NUMA affinity or unknown.
   */
  'numaNode': (number);
  'linkState': (string);
  'totalVfs': (number);
  'numVfs': (number);
  /**
   * legacy, switchdev, unsupported or unknown.
   */
  'eswitchMode': (string);
  'vendor': (string);
  'model': (string);
  'firmware': (string);
  'vfs': (_mooring_v1_SriovVfReport__Output)[];
}
