// Original file: mooring/v1/tenancy.proto


export interface ListTokensRequest {
  /**
   * Empty: the caller's tokens (admins may name anyone).
   */
  'user'?: (string);
}

export interface ListTokensRequest__Output {
  /**
   * Empty: the caller's tokens (admins may name anyone).
   */
  'user': (string);
}
