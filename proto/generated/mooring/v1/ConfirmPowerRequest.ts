// Original file: mooring/v1/deploy.proto


export interface ConfirmPowerRequest {
  'machine'?: (string);
  /**
   * on, off or boot.
   */
  'action'?: (string);
}

export interface ConfirmPowerRequest__Output {
  'machine': (string);
  /**
   * on, off or boot.
   */
  'action': (string);
}
