// Original file: mooring/v1/sriov.proto

import type { SriovVfConfig as _mooring_v1_SriovVfConfig, SriovVfConfig__Output as _mooring_v1_SriovVfConfig__Output } from '../../mooring/v1/SriovVfConfig.js';

export interface SriovPfConfig {
  /**
   * The PF netdev (e.g. p0, enp3s0f0np0).
   */
  'pf'?: (string);
  'numVfs'?: (number);
  /**
   * "", legacy or switchdev ("" leaves the eswitch mode alone).
   */
  'eswitchMode'?: (string);
  /**
   * "", on or off: sriov_drivers_autoprobe before enabling VFs.
   */
  'autoprobe'?: (string);
  'vfs'?: (_mooring_v1_SriovVfConfig)[];
}

export interface SriovPfConfig__Output {
  /**
   * The PF netdev (e.g. p0, enp3s0f0np0).
   */
  'pf': (string);
  'numVfs': (number);
  /**
   * "", legacy or switchdev ("" leaves the eswitch mode alone).
   */
  'eswitchMode': (string);
  /**
   * "", on or off: sriov_drivers_autoprobe before enabling VFs.
   */
  'autoprobe': (string);
  'vfs': (_mooring_v1_SriovVfConfig__Output)[];
}
