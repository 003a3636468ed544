// Original file: mooring/v1/vmhosts.proto


export interface DeleteVmResponse {
  'machine'?: (string);
}

export interface DeleteVmResponse__Output {
  'machine': (string);
}
