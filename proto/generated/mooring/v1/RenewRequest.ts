// Original file: mooring/v1/agent.proto


export interface RenewRequest {
  'csrPem'?: (string);
}

export interface RenewRequest__Output {
  'csrPem': (string);
}
