// TypeScript shapes of the LXD messages of the agent link (lxd.proto), decoded as agent-types.ts
// describes: camelCase, 64-bit integers as numbers, scalar defaults filled in, unset messages null.

export interface LxdNumaNodeMessage {
  node: number;
  cpus: number[];
  memoryTotal: number;
  memoryUsed: number;
  hugepagesTotal: number;
  hugepagesUsed: number;
}

export interface LxdNicMessage {
  name: string;
  pciAddress: string;
  numaNode: number;
  sriovMaxVfs: number;
  sriovCurrentVfs: number;
}

export interface LxdStoragePoolMessage {
  name: string;
  driver: string;
  usedBytes: number;
  totalBytes: number;
}

export interface LxdUsageMessage {
  cores: number;
  memoryBytes: number;
  hugepageMemoryBytes: number;
  instances: number;
  /** Of instances, those not counted in cores and memory (stopped instances of other projects). */
  uncountedInstances: number;
}

/** Whether LxdResources.other is known (lxd.proto LxdOtherUsage). */
export type LxdOtherUsage = 'LXD_OTHER_USAGE_UNSPECIFIED' | 'LXD_OTHER_USAGE_KNOWN' | 'LXD_OTHER_USAGE_UNKNOWN';

export interface LxdResourcesMessage {
  cores: number;
  threads: number;
  memoryTotal: number;
  memoryUsed: number;
  hugepagesTotal: number;
  hugepageSize: number;
  numaNodes: LxdNumaNodeMessage[];
  nics: LxdNicMessage[];
  pools: LxdStoragePoolMessage[];
  tracked: LxdUsageMessage | null;
  /** null when otherUsage is LXD_OTHER_USAGE_UNKNOWN. */
  other: LxdUsageMessage | null;
  otherUsage: LxdOtherUsage;
  /** Why otherUsage is unknown; '' otherwise. */
  otherUsageNote: string;
}

export interface LxdNicRequestMessage {
  network: string;
  parent: string;
  sriovParent: string;
  name: string;
  mac: string;
}

export interface LxdInstanceMessage {
  name: string;
  type: string;
  status: string;
  cores: number;
  pinnedCpus: string;
  memoryBytes: number;
  hugepages: boolean;
  rootDiskBytes: number;
  pool: string;
  nics: LxdNicRequestMessage[];
  createdAt: string;
  machineId: string;
}

export interface LxdReportMessage {
  connected: boolean;
  project: string;
  serverVersion: string;
  endpoint: string;
  resources: LxdResourcesMessage | null;
  instances: LxdInstanceMessage[];
  error: string;
  refreshedAt: string;
  instanceTypes: string[];
}

export interface LxdAssignProjectMessage {
  project: string;
  create: boolean;
}

export interface LxdComposeMessage {
  name: string;
  type: string;
  cores: number;
  pinnedCpus: string;
  memoryBytes: number;
  hugepages: boolean;
  rootDiskBytes: number;
  pool: string;
  nics: LxdNicRequestMessage[];
  machineId: string;
  image: string;
}

export interface LxdPowerMessage {
  name: string;
  /** start, stop, restart or state; anything else is refused by the agent. */
  action: string;
}

export interface LxdDeleteMessage {
  name: string;
}

export interface LxdReleaseMessage {
  deleteInstances: boolean;
}

export interface LxdResultMessage {
  report: LxdReportMessage | null;
  instance: LxdInstanceMessage | null;
  lxdError: string;
}
