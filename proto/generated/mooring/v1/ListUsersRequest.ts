// Original file: mooring/v1/tenancy.proto


export interface ListUsersRequest {
}

export interface ListUsersRequest__Output {
}
