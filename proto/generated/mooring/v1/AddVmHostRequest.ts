// Original file: mooring/v1/vmhosts.proto


export interface AddVmHostRequest {
  /**
   * The agent (role vmhost); the VM host takes its name.
   */
  'agent'?: (string);
  'project'?: (string);
  'createProject'?: (boolean);
  /**
   * 0 to 10; 0 in a request means the default, 1. Use UpdateVmHost to set 0 (nothing may be composed).
   */
  'cpuOvercommit'?: (number | string);
  'memoryOvercommit'?: (number | string);
  /**
   * Where the host's machines go (default "default").
   */
  'pool'?: (string);
  'zone'?: (string);
  /**
   * Architecture of the host's machines (default amd64).
   */
  'arch'?: (string);
  /**
   * Image alias or fingerprint composed containers start from (empty: the agent's default).
   * Virtual machines are composed empty and boot from the network unless a compose names an image.
   */
  'image'?: (string);
}

export interface AddVmHostRequest__Output {
  /**
   * The agent (role vmhost); the VM host takes its name.
   */
  'agent': (string);
  'project': (string);
  'createProject': (boolean);
  /**
   * 0 to 10; 0 in a request means the default, 1. Use UpdateVmHost to set 0 (nothing may be composed).
   */
  'cpuOvercommit': (number);
  'memoryOvercommit': (number);
  /**
   * Where the host's machines go (default "default").
   */
  'pool': (string);
  'zone': (string);
  /**
   * Architecture of the host's machines (default amd64).
   */
  'arch': (string);
  /**
   * Image alias or fingerprint composed containers start from (empty: the agent's default).
   * Virtual machines are composed empty and boot from the network unless a compose names an image.
   */
  'image': (string);
}
