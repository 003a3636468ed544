// Original file: mooring/v1/vmhosts.proto


export interface VmHostRef {
  'name'?: (string);
}

export interface VmHostRef__Output {
  'name': (string);
}
