// Original file: mooring/v1/lxd.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Resources held by instances, from their limits: `tracked` counts the assigned project, `other`
 * every other project on the host. What counts, in the agent's report and the coordinator's
 * overcommit check alike: every instance of the assigned project, running or stopped (each is a
 * machine Mooring hands out, which its owner may power on at any time); instances of other projects
 * only while they are not Stopped (a stopped instance holds no CPU or memory, and Mooring neither
 * knows nor controls when another tenant starts it).
 */
export interface LxdUsage {
  'cores'?: (number);
  'memoryBytes'?: (number | string | Long);
  'hugepageMemoryBytes'?: (number | string | Long);
  'instances'?: (number);
  /**
   * Of `instances`, those whose limits are not in cores and memory: stopped instances of other projects.
   */
  'uncountedInstances'?: (number);
}

/**
 * Resources held by instances, from their limits: `tracked` counts the assigned project, `other`
 * every other project on the host. What counts, in the agent's report and the coordinator's
 * overcommit check alike: every instance of the assigned project, running or stopped (each is a
 * machine Mooring hands out, which its owner may power on at any time); instances of other projects
 * only while they are not Stopped (a stopped instance holds no CPU or memory, and Mooring neither
 * knows nor controls when another tenant starts it).
 */
export interface LxdUsage__Output {
  'cores': (number);
  'memoryBytes': (number);
  'hugepageMemoryBytes': (number);
  'instances': (number);
  /**
   * Of `instances`, those whose limits are not in cores and memory: stopped instances of other projects.
   */
  'uncountedInstances': (number);
}
