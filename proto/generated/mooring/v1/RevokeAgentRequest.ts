// Original file: mooring/v1/agent.proto


export interface RevokeAgentRequest {
  'name'?: (string);
}

export interface RevokeAgentRequest__Output {
  'name': (string);
}
