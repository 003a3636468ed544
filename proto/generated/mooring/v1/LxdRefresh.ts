// Original file: mooring/v1/lxd.proto


export interface LxdRefresh {
}

export interface LxdRefresh__Output {
}
