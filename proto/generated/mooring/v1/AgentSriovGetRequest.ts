// Original file: mooring/v1/sriov.proto


export interface AgentSriovGetRequest {
  'agent'?: (string);
}

export interface AgentSriovGetRequest__Output {
  'agent': (string);
}
