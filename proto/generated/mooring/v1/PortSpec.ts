// Original file: mooring/v1/agent.proto


export interface PortSpec {
  /**
   * Port and interface name on the bridge (a representor such as pf0vf3).
   */
  'name'?: (string);
  'ifaceId'?: (string);
  'mac'?: (string);
  'vmUuid'?: (string);
}

export interface PortSpec__Output {
  /**
   * Port and interface name on the bridge (a representor such as pf0vf3).
   */
  'name': (string);
  'ifaceId': (string);
  'mac': (string);
  'vmUuid': (string);
}
