// Original file: mooring/v1/lxd.proto


export interface LxdNicRequest {
  /**
   * Exactly one of network (an LXD managed network), parent (a host bridge) or sriov_parent (a PF).
   */
  'network'?: (string);
  'parent'?: (string);
  'sriovParent'?: (string);
  'name'?: (string);
  'mac'?: (string);
}

export interface LxdNicRequest__Output {
  /**
   * Exactly one of network (an LXD managed network), parent (a host bridge) or sriov_parent (a PF).
   */
  'network': (string);
  'parent': (string);
  'sriovParent': (string);
  'name': (string);
  'mac': (string);
}
