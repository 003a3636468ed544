// Original file: mooring/v1/networks.proto


export interface DeleteRuleRequest {
  'group'?: (string);
  'ruleId'?: (string);
}

export interface DeleteRuleRequest__Output {
  'group': (string);
  'ruleId': (string);
}
