// Original file: mooring/v1/ports.proto


export interface ListPortsRequest {
  'machine'?: (string);
}

export interface ListPortsRequest__Output {
  'machine': (string);
}
