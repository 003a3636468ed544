// Original file: mooring/v1/machines.proto


export interface MachineRef {
  /**
   * A machine id or hostname.
   */
  'machine'?: (string);
}

export interface MachineRef__Output {
  /**
   * A machine id or hostname.
   */
  'machine': (string);
}
