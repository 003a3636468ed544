// Original file: mooring/v1/images.proto


export interface ListImagesRequest {
}

export interface ListImagesRequest__Output {
}
