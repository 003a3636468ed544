// Original file: mooring/v1/sriov.proto


export interface SmartNicModeReport {
  /**
   * smartnic-os (the NIC's own Arm OS), host or unknown.
   */
  'location'?: (string);
  /**
   * dpu, zero-trust, nic, separated-host, not-a-smartnic or unknown.
   */
  'mode'?: (string);
  /**
   * The mode after the next reboot when the firmware says ("" when unknown).
   */
  'nextBootMode'?: (string);
  /**
   * nvconfig (mlxconfig/mstconfig), inferred (from representors and eswitch ownership) or none.
   */
  'source'?: (string);
  'vendor'?: (string);
  'model'?: (string);
  'firmware'?: (string);
  'evidence'?: (string)[];
}

export interface SmartNicModeReport__Output {
  /**
   * smartnic-os (the NIC's own Arm OS), host or unknown.
   */
  'location': (string);
  /**
   * dpu, zero-trust, nic, separated-host, not-a-smartnic or unknown.
   */
  'mode': (string);
  /**
   * The mode after the next reboot when the firmware says ("" when unknown).
   */
  'nextBootMode': (string);
  /**
   * nvconfig (mlxconfig/mstconfig), inferred (from representors and eswitch ownership) or none.
   */
  'source': (string);
  'vendor': (string);
  'model': (string);
  'firmware': (string);
  'evidence': (string)[];
}
