// Original file: mooring/v1/vmhosts.proto


export interface PowerVmRequest {
  'machine'?: (string);
  /**
   * on, off, cycle or query.
   */
  'action'?: (string);
}

export interface PowerVmRequest__Output {
  'machine': (string);
  /**
   * on, off, cycle or query.
   */
  'action': (string);
}
