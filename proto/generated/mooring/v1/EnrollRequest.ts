// Original file: mooring/v1/agent.proto


export interface EnrollRequest {
  'token'?: (string);
  'csrPem'?: (string);
}

export interface EnrollRequest__Output {
  'token': (string);
  'csrPem': (string);
}
