// Original file: mooring/v1/networks.proto


export interface NetworkAttachment {
  'machineId'?: (string);
  /**
   * The OVN Logical_Switch_Port (also the port's iface-id on its smartNIC).
   */
  'lspName'?: (string);
  'portId'?: (string);
  'mac'?: (string);
  /**
   * "" when the network has no CIDR.
   */
  'ip'?: (string);
  /**
   * Security group names.
   */
  'securityGroups'?: (string)[];
}

export interface NetworkAttachment__Output {
  'machineId': (string);
  /**
   * The OVN Logical_Switch_Port (also the port's iface-id on its smartNIC).
   */
  'lspName': (string);
  'portId': (string);
  'mac': (string);
  /**
   * "" when the network has no CIDR.
   */
  'ip': (string);
  /**
   * Security group names.
   */
  'securityGroups': (string)[];
}
