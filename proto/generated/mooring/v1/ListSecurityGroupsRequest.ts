// Original file: mooring/v1/networks.proto


export interface ListSecurityGroupsRequest {
}

export interface ListSecurityGroupsRequest__Output {
}
