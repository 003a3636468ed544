// Original file: mooring/v1/lxd.proto


export interface LxdAssignProject {
  'project'?: (string);
  /**
   * Create the project (all features.* false) when it does not exist; refused when it does exist and this is set.
   */
  'create'?: (boolean);
}

export interface LxdAssignProject__Output {
  'project': (string);
  /**
   * Create the project (all features.* false) when it does not exist; refused when it does exist and this is set.
   */
  'create': (boolean);
}
