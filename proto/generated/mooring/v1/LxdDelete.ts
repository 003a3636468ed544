// Original file: mooring/v1/lxd.proto


export interface LxdDelete {
  'name'?: (string);
}

export interface LxdDelete__Output {
  'name': (string);
}
