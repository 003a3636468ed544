// Original file: mooring/v1/vmhosts.proto


export interface RemoveVmHostResponse {
  'name'?: (string);
  /**
   * Machines that went away with the host.
   */
  'machines'?: (string)[];
}

export interface RemoveVmHostResponse__Output {
  'name': (string);
  /**
   * Machines that went away with the host.
   */
  'machines': (string)[];
}
