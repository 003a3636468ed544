// Original file: mooring/v1/vmhosts.proto


export interface RemoveVmHostRequest {
  'name'?: (string);
  'deleteInstances'?: (boolean);
}

export interface RemoveVmHostRequest__Output {
  'name': (string);
  'deleteInstances': (boolean);
}
