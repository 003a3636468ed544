// Original file: mooring/v1/tenancy.proto


export interface DeleteUserResponse {
}

export interface DeleteUserResponse__Output {
}
