// Original file: mooring/v1/agent.proto


export interface ListCoordinatorsRequest {
  /**
   * Also name each coordinator's agents (otherwise only their count).
   */
  'withAgents'?: (boolean);
}

export interface ListCoordinatorsRequest__Output {
  /**
   * Also name each coordinator's agents (otherwise only their count).
   */
  'withAgents': (boolean);
}
