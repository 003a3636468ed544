// Original file: mooring/v1/images.proto


export interface DeleteImageResponse {
}

export interface DeleteImageResponse__Output {
}
