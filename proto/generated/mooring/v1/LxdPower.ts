// Original file: mooring/v1/lxd.proto


export interface LxdPower {
  'name'?: (string);
  /**
   * start, stop (forced after a grace period), restart, or state (no change).
   */
  'action'?: (string);
}

export interface LxdPower__Output {
  'name': (string);
  /**
   * start, stop (forced after a grace period), restart, or state (no change).
   */
  'action': (string);
}
