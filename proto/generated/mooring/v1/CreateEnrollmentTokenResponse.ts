// Original file: mooring/v1/agent.proto


export interface CreateEnrollmentTokenResponse {
  'token'?: (string);
  'name'?: (string);
  'role'?: (string);
  'expiresAt'?: (string);
}

export interface CreateEnrollmentTokenResponse__Output {
  'token': (string);
  'name': (string);
  'role': (string);
  'expiresAt': (string);
}
