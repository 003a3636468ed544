// Original file: mooring/v1/deploy.proto


/**
 * One smartNIC port, and one of its attachments when it has any (a port mid-move has two).
 */
export interface PortNetwork {
  /**
   * The representor name on the smartNIC, and the smartNIC's agent.
   */
  'port'?: (string);
  'agent'?: (string);
  'mac'?: (string);
  /**
   * Mooring's port id: the OVS iface-id when the port is on no network.
   */
  'portId'?: (string);
  /**
   * Empty when the port is on no network (the rest below is empty too).
   */
  'network'?: (string);
  /**
   * The OVN Logical_Switch_Port name: the OVS iface-id on a network.
   */
  'lsp'?: (string);
  'ip'?: (string);
  'securityGroups'?: (string)[];
  /**
   * up, down (not claimed yet), missing (no LSP in OVN) or unknown (OVN could not be asked).
   */
  'ovnState'?: (string);
  /**
   * The chassis that claimed the port, when OVN reports one.
   */
  'ovnChassis'?: (string);
  /**
   * Why ovn_state is unknown.
   */
  'ovnError'?: (string);
}

/**
 * One smartNIC port, and one of its attachments when it has any (a port mid-move has two).
 */
export interface PortNetwork__Output {
  /**
   * The representor name on the smartNIC, and the smartNIC's agent.
   */
  'port': (string);
  'agent': (string);
  'mac': (string);
  /**
   * Mooring's port id: the OVS iface-id when the port is on no network.
   */
  'portId': (string);
  /**
   * Empty when the port is on no network (the rest below is empty too).
   */
  'network': (string);
  /**
   * The OVN Logical_Switch_Port name: the OVS iface-id on a network.
   */
  'lsp': (string);
  'ip': (string);
  'securityGroups': (string)[];
  /**
   * up, down (not claimed yet), missing (no LSP in OVN) or unknown (OVN could not be asked).
   */
  'ovnState': (string);
  /**
   * The chassis that claimed the port, when OVN reports one.
   */
  'ovnChassis': (string);
  /**
   * Why ovn_state is unknown.
   */
  'ovnError': (string);
}
