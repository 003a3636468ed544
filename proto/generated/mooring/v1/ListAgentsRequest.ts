// Original file: mooring/v1/agent.proto


export interface ListAgentsRequest {
}

export interface ListAgentsRequest__Output {
}
