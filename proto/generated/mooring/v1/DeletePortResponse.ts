// Original file: mooring/v1/ports.proto


export interface DeletePortResponse {
}

export interface DeletePortResponse__Output {
}
