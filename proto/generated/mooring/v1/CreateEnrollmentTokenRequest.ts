// Original file: mooring/v1/agent.proto


export interface CreateEnrollmentTokenRequest {
  'name'?: (string);
  /**
   * smartnic (default) or vmhost.
   */
  'role'?: (string);
  /**
   * Default 3600.
   */
  'ttlSeconds'?: (number);
}

export interface CreateEnrollmentTokenRequest__Output {
  'name': (string);
  /**
   * smartnic (default) or vmhost.
   */
  'role': (string);
  /**
   * Default 3600.
   */
  'ttlSeconds': (number);
}
