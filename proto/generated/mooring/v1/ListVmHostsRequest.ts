// Original file: mooring/v1/vmhosts.proto


export interface ListVmHostsRequest {
}

export interface ListVmHostsRequest__Output {
}
