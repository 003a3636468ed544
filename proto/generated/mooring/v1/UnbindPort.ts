// Original file: mooring/v1/agent.proto


export interface UnbindPort {
  'name'?: (string);
}

export interface UnbindPort__Output {
  'name': (string);
}
