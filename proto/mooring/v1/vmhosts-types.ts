// TypeScript shapes of vmhosts.proto messages as the loader decodes them (see types.ts for the
// conventions).
import type { LxdNicRequestMessage, LxdReportMessage } from './lxd-types.js';

export interface AddVmHostRequestMessage {
  agent: string;
  project: string;
  createProject: boolean;
  cpuOvercommit: number;
  memoryOvercommit: number;
  pool: string;
  zone: string;
  arch: string;
  image: string;
}

export interface VmHostRefMessage {
  name: string;
}

export interface UpdateVmHostRequestMessage {
  name: string;
  cpuOvercommit: number;
  memoryOvercommit: number;
  pool: string;
  zone: string;
  image: string;
  updateMask: string[];
}

export interface RemoveVmHostRequestMessage {
  name: string;
  deleteInstances: boolean;
}

export interface RemoveVmHostResponseMessage {
  name: string;
  machines: string[];
}

export interface VmHostResourceMessage {
  ratio: number;
  capacity: number;
  allowed: number;
  used: number;
  free: number;
}

export interface VmHostMessage {
  name: string;
  agent: string;
  project: string;
  cpuOvercommit: number;
  memoryOvercommit: number;
  pool: string;
  zone: string;
  arch: string;
  image: string;
  agentState: string;
  cores: VmHostResourceMessage | null;
  memory: VmHostResourceMessage | null;
  hugepages: VmHostResourceMessage | null;
  report: LxdReportMessage | null;
  reportAt: string;
  machines: string[];
  createdAt: string;
  instanceMachines: Record<string, string>;
}

export interface ListVmHostsResponseMessage {
  hosts: VmHostMessage[];
}

export interface ComposeVmRequestMessage {
  host: string;
  name: string;
  cores: number;
  pinnedCpus: string;
  numaNode: number;
  pinNumaNode: boolean;
  memoryBytes: number;
  hugepages: boolean;
  diskBytes: number;
  pool: string;
  type: string;
  nics: LxdNicRequestMessage[];
  image: string;
}

export interface DeleteVmResponseMessage {
  machine: string;
}

export interface PowerVmRequestMessage {
  machine: string;
  action: string;
}
