// Original file: mooring/v1/vmhosts.proto


export interface UpdateVmHostRequest {
  'name'?: (string);
  /**
   * Fields named in update_mask: cpu_overcommit, memory_overcommit, pool, zone, image.
   */
  'cpuOvercommit'?: (number | string);
  'memoryOvercommit'?: (number | string);
  'pool'?: (string);
  'zone'?: (string);
  'image'?: (string);
  'updateMask'?: (string)[];
}

export interface UpdateVmHostRequest__Output {
  'name': (string);
  /**
   * Fields named in update_mask: cpu_overcommit, memory_overcommit, pool, zone, image.
   */
  'cpuOvercommit': (number);
  'memoryOvercommit': (number);
  'pool': (string);
  'zone': (string);
  'image': (string);
  'updateMask': (string)[];
}
