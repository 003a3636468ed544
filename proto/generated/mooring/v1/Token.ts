// Original file: mooring/v1/tenancy.proto


/**
 * Token metadata; the secret itself is only in CreateTokenResponse, once.
 */
export interface Token {
  'id'?: (string);
  'user'?: (string);
  'description'?: (string);
  'createdAt'?: (string);
  /**
   * Empty: never expires.
   */
  'expiresAt'?: (string);
  /**
   * Empty: not revoked.
   */
  'revokedAt'?: (string);
}

/**
 * Token metadata; the secret itself is only in CreateTokenResponse, once.
 */
export interface Token__Output {
  'id': (string);
  'user': (string);
  'description': (string);
  'createdAt': (string);
  /**
   * Empty: never expires.
   */
  'expiresAt': (string);
  /**
   * Empty: not revoked.
   */
  'revokedAt': (string);
}
