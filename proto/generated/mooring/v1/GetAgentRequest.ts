// Original file: mooring/v1/agent.proto


export interface GetAgentRequest {
  'name'?: (string);
}

export interface GetAgentRequest__Output {
  'name': (string);
}
