// Original file: mooring/v1/networks.proto


export interface DeleteSecurityGroupResponse {
}

export interface DeleteSecurityGroupResponse__Output {
}
