// Original file: mooring/v1/sriov.proto


export interface SriovRepresentorReport {
  'netdev'?: (string);
  'physPortName'?: (string);
  'switchId'?: (string);
  /**
   * physical, pf, vf or sf.
   */
  'flavour'?: (string);
}

export interface SriovRepresentorReport__Output {
  'netdev': (string);
  'physPortName': (string);
  'switchId': (string);
  /**
   * physical, pf, vf or sf.
   */
  'flavour': (string);
}
