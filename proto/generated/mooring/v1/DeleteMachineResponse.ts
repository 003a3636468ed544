// Original file: mooring/v1/machines.proto


export interface DeleteMachineResponse {
}

export interface DeleteMachineResponse__Output {
}
