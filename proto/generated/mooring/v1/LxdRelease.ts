// Original file: mooring/v1/lxd.proto


export interface LxdRelease {
  /**
   * Delete the instances of the assigned project before forgetting it.
   */
  'deleteInstances'?: (boolean);
}

export interface LxdRelease__Output {
  /**
   * Delete the instances of the assigned project before forgetting it.
   */
  'deleteInstances': (boolean);
}
