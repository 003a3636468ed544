// Original file: mooring/v1/ports.proto


export interface PortRef {
  /**
   * Machine id or hostname.
   */
  'machine'?: (string);
  'mac'?: (string);
}

export interface PortRef__Output {
  /**
   * Machine id or hostname.
   */
  'machine': (string);
  'mac': (string);
}
