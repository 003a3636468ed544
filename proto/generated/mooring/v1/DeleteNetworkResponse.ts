// Original file: mooring/v1/networks.proto


export interface DeleteNetworkResponse {
}

export interface DeleteNetworkResponse__Output {
}
