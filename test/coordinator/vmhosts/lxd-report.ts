// LXD reports as a VM host agent sends them (lxd.proto), for the coordinator's VM host tests:
// one host of 2 NUMA nodes x 4 threads, 16 GiB of which 4 GiB are hugepages.
import type { LxdInstance__Output, LxdReport__Output, LxdResources__Output } from '../../../proto/generated/index.js';

export const GIB = 2 ** 30;

export function resources(over: Partial<LxdResources__Output> = {}): LxdResources__Output {
  return {
    cores: 8,
    threads: 8,
    memoryTotal: 16 * GIB,
    memoryUsed: 2 * GIB,
    hugepagesTotal: 4 * GIB,
    hugepageSize: 2 ** 21,
    numaNodes: [
      { node: 0, cpus: [0, 1, 2, 3], memoryTotal: 8 * GIB, memoryUsed: GIB, hugepagesTotal: 2 * GIB, hugepagesUsed: 0 },
      { node: 1, cpus: [4, 5, 6, 7], memoryTotal: 8 * GIB, memoryUsed: GIB, hugepagesTotal: 2 * GIB, hugepagesUsed: 0 },
    ],
    nics: [],
    pools: [{ name: 'default', driver: 'dir', usedBytes: GIB, totalBytes: 100 * GIB }],
    tracked: { cores: 0, memoryBytes: 0, hugepageMemoryBytes: 0, instances: 0, uncountedInstances: 0 },
    other: { cores: 0, memoryBytes: 0, hugepageMemoryBytes: 0, instances: 0, uncountedInstances: 0 },
    otherUsage: 'LXD_OTHER_USAGE_KNOWN',
    otherUsageNote: '',
    ...over,
  };
}

export function instance(name: string, over: Partial<LxdInstance__Output> = {}): LxdInstance__Output {
  return {
    name,
    type: 'container',
    status: 'Stopped',
    cores: 2,
    pinnedCpus: '',
    memoryBytes: GIB,
    hugepages: false,
    rootDiskBytes: 0,
    pool: 'default',
    nics: [],
    createdAt: '',
    machineId: '',
    ...over,
  };
}

export function report(project: string, instances: LxdInstance__Output[], over: Partial<LxdReport__Output> = {}): LxdReport__Output {
  return {
    connected: true,
    project,
    serverVersion: '5.0.2',
    endpoint: 'unix:/tmp/lxd/unix.socket',
    resources: resources(),
    instances,
    error: '',
    refreshedAt: new Date().toISOString(),
    resourcesReadAt: new Date().toISOString(),
    instanceTypes: ['container'],
    ...over,
  };
}
