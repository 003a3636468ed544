// Original file: mooring/v1/tenancy.proto


export interface GroupMemberRequest {
  'group'?: (string);
  'user'?: (string);
}

export interface GroupMemberRequest__Output {
  'group': (string);
  'user': (string);
}
