// Original file: mooring/v1/pools.proto


export interface DeletePoolResponse {
}

export interface DeletePoolResponse__Output {
}
