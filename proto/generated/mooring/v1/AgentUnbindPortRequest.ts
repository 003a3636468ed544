// Original file: mooring/v1/agent.proto


export interface AgentUnbindPortRequest {
  'agent'?: (string);
  'port'?: (string);
  'timeoutSeconds'?: (number);
}

export interface AgentUnbindPortRequest__Output {
  'agent': (string);
  'port': (string);
  'timeoutSeconds': (number);
}
