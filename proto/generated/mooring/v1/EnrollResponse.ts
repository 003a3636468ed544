// Original file: mooring/v1/agent.proto


export interface EnrollResponse {
  'agentId'?: (string);
  'certificatePem'?: (string);
  'caPem'?: (string);
  'role'?: (string);
  /**
   * RFC 3339.
   */
  'notAfter'?: (string);
}

export interface EnrollResponse__Output {
  'agentId': (string);
  'certificatePem': (string);
  'caPem': (string);
  'role': (string);
  /**
   * RFC 3339.
   */
  'notAfter': (string);
}
