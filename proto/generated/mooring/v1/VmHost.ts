// Original file: mooring/v1/vmhosts.proto

import type { VmHostResource as _mooring_v1_VmHostResource, VmHostResource__Output as _mooring_v1_VmHostResource__Output } from '../../mooring/v1/VmHostResource.js';
import type { LxdReport as _mooring_v1_LxdReport, LxdReport__Output as _mooring_v1_LxdReport__Output } from '../../mooring/v1/LxdReport.js';

export interface VmHost {
  'name'?: (string);
  'agent'?: (string);
  'project'?: (string);
  'cpuOvercommit'?: (number | string);
  'memoryOvercommit'?: (number | string);
  'pool'?: (string);
  'zone'?: (string);
  'arch'?: (string);
  'image'?: (string);
  /**
   * ONLINE, OFFLINE or NEVER_CONNECTED (the agent's state).
   */
  'agentState'?: (string);
  'cores'?: (_mooring_v1_VmHostResource | null);
  'memory'?: (_mooring_v1_VmHostResource | null);
  'hugepages'?: (_mooring_v1_VmHostResource | null);
  /**
   * The agent's last LXD report (resources, the project's instances).
   */
  'report'?: (_mooring_v1_LxdReport | null);
  'reportAt'?: (string);
  /**
   * Machine ids of the project's instances.
   */
  'machines'?: (string)[];
  'createdAt'?: (string);
  /**
   * Machine id of each instance in the project, by instance name.
   */
  'instanceMachines'?: ({[key: string]: string});
}

export interface VmHost__Output {
  'name': (string);
  'agent': (string);
  'project': (string);
  'cpuOvercommit': (number);
  'memoryOvercommit': (number);
  'pool': (string);
  'zone': (string);
  'arch': (string);
  'image': (string);
  /**
   * ONLINE, OFFLINE or NEVER_CONNECTED (the agent's state).
   */
  'agentState': (string);
  'cores': (_mooring_v1_VmHostResource__Output | null);
  'memory': (_mooring_v1_VmHostResource__Output | null);
  'hugepages': (_mooring_v1_VmHostResource__Output | null);
  /**
   * The agent's last LXD report (resources, the project's instances).
   */
  'report': (_mooring_v1_LxdReport__Output | null);
  'reportAt': (string);
  /**
   * Machine ids of the project's instances.
   */
  'machines': (string)[];
  'createdAt': (string);
  /**
   * Machine id of each instance in the project, by instance name.
   */
  'instanceMachines': ({[key: string]: string});
}
