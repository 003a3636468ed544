// Original file: mooring/v1/pools.proto


export interface ListPoolsRequest {
}

export interface ListPoolsRequest__Output {
}
