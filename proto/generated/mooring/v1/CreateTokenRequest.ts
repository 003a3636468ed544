// Original file: mooring/v1/tenancy.proto


export interface CreateTokenRequest {
  /**
   * Empty: the caller.
   */
  'user'?: (string);
  'description'?: (string);
  /**
   * 0: never expires.
   */
  'expiresInSeconds'?: (number);
}

export interface CreateTokenRequest__Output {
  /**
   * Empty: the caller.
   */
  'user': (string);
  'description': (string);
  /**
   * 0: never expires.
   */
  'expiresInSeconds': (number);
}
