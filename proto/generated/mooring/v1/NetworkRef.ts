// Original file: mooring/v1/networks.proto


export interface NetworkRef {
  'name'?: (string);
}

export interface NetworkRef__Output {
  'name': (string);
}
