// Original file: mooring/v1/tenancy.proto


export interface ListGroupsRequest {
}

export interface ListGroupsRequest__Output {
}
