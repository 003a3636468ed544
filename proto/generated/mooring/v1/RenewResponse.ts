// Original file: mooring/v1/agent.proto


export interface RenewResponse {
  'certificatePem'?: (string);
  'notAfter'?: (string);
}

export interface RenewResponse__Output {
  'certificatePem': (string);
  'notAfter': (string);
}
