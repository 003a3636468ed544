// Original file: mooring/v1/networks.proto


export interface ListNetworksRequest {
}

export interface ListNetworksRequest__Output {
}
