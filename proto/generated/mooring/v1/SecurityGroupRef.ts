// Original file: mooring/v1/networks.proto


export interface SecurityGroupRef {
  'name'?: (string);
}

export interface SecurityGroupRef__Output {
  'name': (string);
}
