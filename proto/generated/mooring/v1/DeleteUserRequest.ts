// Original file: mooring/v1/tenancy.proto


export interface DeleteUserRequest {
  'name'?: (string);
}

export interface DeleteUserRequest__Output {
  'name': (string);
}
