// Original file: mooring/v1/sriov.proto


export interface SriovVfReport {
  'vf'?: (number);
  'pciAddress'?: (string);
  'netdev'?: (string);
  'mac'?: (string);
  'vlan'?: (number);
  'qos'?: (number);
  /**
   * on, off or "" when the driver does not say.
   */
  'spoofchk'?: (string);
  'trust'?: (string);
  'linkState'?: (string);
  'maxTxRate'?: (number);
  'minTxRate'?: (number);
  /**
   * The VF's representor netdev in switchdev mode, "" otherwise.
   */
  'representor'?: (string);
}

export interface SriovVfReport__Output {
  'vf': (number);
  'pciAddress': (string);
  'netdev': (string);
  'mac': (string);
  'vlan': (number);
  'qos': (number);
  /**
   * on, off or "" when the driver does not say.
   */
  'spoofchk': (string);
  'trust': (string);
  'linkState': (string);
  'maxTxRate': (number);
  'minTxRate': (number);
  /**
   * The VF's representor netdev in switchdev mode, "" otherwise.
   */
  'representor': (string);
}
