// Original file: mooring/v1/machines.proto


/**
 * A network port (Ironic's port model). For smartNIC ports, smart_nic_agent_id names the agent on
 * the smartNIC and smart_nic_port_id the port (representor) it binds on br-int.
 */
export interface Port {
  'mac'?: (string);
  'isSmartNic'?: (boolean);
  'smartNicAgentId'?: (string);
  'smartNicPortId'?: (string);
  'sshPublicKey'?: (string);
  'ovsdbCaCert'?: (string);
}

/**
 * A network port (Ironic's port model). For smartNIC ports, smart_nic_agent_id names the agent on
 * the smartNIC and smart_nic_port_id the port (representor) it binds on br-int.
 */
export interface Port__Output {
  'mac': (string);
  'isSmartNic': (boolean);
  'smartNicAgentId': (string);
  'smartNicPortId': (string);
  'sshPublicKey': (string);
  'ovsdbCaCert': (string);
}
