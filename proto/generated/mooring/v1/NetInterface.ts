// Original file: mooring/v1/agent.proto


export interface NetInterface {
  'name'?: (string);
  'mac'?: (string);
  /**
   * Mbit/s; 0 when unknown.
   */
  'speedMbps'?: (number);
  'driver'?: (string);
  'pciAddress'?: (string);
  'state'?: (string);
}

export interface NetInterface__Output {
  'name': (string);
  'mac': (string);
  /**
   * Mbit/s; 0 when unknown.
   */
  'speedMbps': (number);
  'driver': (string);
  'pciAddress': (string);
  'state': (string);
}
