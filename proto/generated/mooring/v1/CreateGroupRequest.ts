// Original file: mooring/v1/tenancy.proto


export interface CreateGroupRequest {
  'name'?: (string);
}

export interface CreateGroupRequest__Output {
  'name': (string);
}
