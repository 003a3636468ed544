// Original file: mooring/v1/tenancy.proto


export interface WhoAmIRequest {
}

export interface WhoAmIRequest__Output {
}
