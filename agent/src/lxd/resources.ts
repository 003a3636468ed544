// The host's resources as LXD reports them (/1.0/resources, /1.0/storage-pools/NAME/resources),
// turned into the LxdResources message, and the usage of instances split into the assigned
// project (tracked) and everything else on the host (other). What counts is decided here once
// (lxd.proto LxdUsage): every instance of the assigned project, and other projects' instances only
// while they are not Stopped.

import type {
  LxdNic__Output,
  LxdNumaNode__Output,
  LxdResources__Output,
  LxdStoragePool__Output,
  LxdUsage__Output,
} from '../../../proto/generated/index.js';
import { cpuLimit, parseMemoryLimit, VM_DEFAULT_MEMORY } from './limits.js';

interface RawThread {
  id: number;
  numa_node?: number;
  online?: boolean;
}
interface RawMemoryNode {
  numa_node: number;
  total: number;
  used: number;
  hugepages_total?: number;
  hugepages_used?: number;
}
export interface RawResources {
  cpu?: { sockets?: { cores?: { threads?: RawThread[] }[] }[] };
  memory?: {
    total?: number;
    used?: number;
    hugepages_total?: number;
    hugepages_used?: number;
    hugepages_size?: number;
    nodes?: RawMemoryNode[];
  };
  network?: {
    cards?: {
      numa_node?: number;
      pci_address?: string;
      ports?: { id?: string }[];
      sriov?: { current_vfs?: number; maximum_vfs?: number };
    }[];
  };
}

export interface RawInstance {
  name: string;
  project?: string;
  type: string;
  status: string;
  created_at?: string;
  config?: Record<string, string>;
  expanded_config?: Record<string, string>;
  devices?: Record<string, Record<string, string>>;
  expanded_devices?: Record<string, Record<string, string>>;
}

/** Thread id -> NUMA node, for pinned-set checks. */
export function threadNodes(raw: RawResources): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of raw.cpu?.sockets ?? []) for (const c of s.cores ?? []) for (const t of c.threads ?? []) m.set(t.id, t.numa_node ?? 0);
  return m;
}

export function hostResources(
  raw: RawResources,
  pools: LxdStoragePool__Output[],
): Omit<LxdResources__Output, 'tracked' | 'other' | 'otherUsage' | 'otherUsageNote'> {
  let cores = 0;
  const nodes = new Map<number, LxdNumaNode__Output>();
  const node = (n: number): LxdNumaNode__Output => {
    let v = nodes.get(n);
    if (!v) nodes.set(n, (v = { node: n, cpus: [], memoryTotal: 0, memoryUsed: 0, hugepagesTotal: 0, hugepagesUsed: 0 }));
    return v;
  };
  for (const [id, n] of threadNodes(raw)) node(n).cpus.push(id);
  for (const s of raw.cpu?.sockets ?? []) cores += s.cores?.length ?? 0;
  const mem = raw.memory ?? {};
  const memNodes = mem.nodes?.length
    ? mem.nodes
    : [
        {
          numa_node: 0,
          total: mem.total ?? 0,
          used: mem.used ?? 0,
          hugepages_total: mem.hugepages_total,
          hugepages_used: mem.hugepages_used,
        },
      ];
  for (const m of memNodes) {
    const n = node(m.numa_node);
    n.memoryTotal = m.total;
    n.memoryUsed = m.used;
    n.hugepagesTotal = m.hugepages_total ?? 0;
    n.hugepagesUsed = m.hugepages_used ?? 0;
  }
  for (const n of nodes.values()) n.cpus.sort((a, b) => a - b);
  const nics: LxdNic__Output[] = (raw.network?.cards ?? []).map((c) => ({
    name: c.ports?.[0]?.id ?? c.pci_address ?? '',
    pciAddress: c.pci_address ?? '',
    numaNode: c.numa_node ?? 0,
    sriovMaxVfs: c.sriov?.maximum_vfs ?? 0,
    sriovCurrentVfs: c.sriov?.current_vfs ?? 0,
  }));
  return {
    cores,
    threads: threadNodes(raw).size,
    memoryTotal: mem.total ?? 0,
    memoryUsed: mem.used ?? 0,
    hugepagesTotal: mem.hugepages_total ?? 0,
    hugepageSize: mem.hugepages_size ?? 0,
    numaNodes: [...nodes.values()].sort((a, b) => a.node - b.node),
    nics,
    pools,
  };
}

/**
 * Which instances' limits count: 'all' for the assigned project (a stopped instance there is a
 * machine its owner may power on at any time, so its share stays reserved), 'not-stopped' for other
 * projects (a stopped instance holds no CPU or memory, and when another tenant starts it is not
 * Mooring's to know; an instance starting, running, frozen or in error may hold both).
 */
export type CountedInstances = 'all' | 'not-stopped';

/**
 * What instances hold: cores from limits.cpu, memory from limits.memory (hugepage-backed when
 * limits.memory.hugepages is true). Unset limits count as LXD's defaults for virtual machines and
 * as nothing for containers (see cpuLimit). Instances left out by `counted` are only counted in
 * uncountedInstances.
 */
export function usageOf(instances: readonly RawInstance[], hostMemory: number, counted: CountedInstances = 'all'): LxdUsage__Output {
  const u: LxdUsage__Output = { cores: 0, memoryBytes: 0, hugepageMemoryBytes: 0, instances: instances.length, uncountedInstances: 0 };
  for (const i of instances) {
    if (counted === 'not-stopped' && i.status === 'Stopped') {
      u.uncountedInstances += 1;
      continue;
    }
    const cfg = i.expanded_config ?? i.config ?? {};
    u.cores += cpuLimit(cfg['limits.cpu'], i.type).cores;
    const memText = cfg['limits.memory'];
    const mem = memText ? (parseMemoryLimit(memText, hostMemory) ?? 0) : i.type === 'virtual-machine' ? VM_DEFAULT_MEMORY : 0;
    if (cfg['limits.memory.hugepages'] === 'true') u.hugepageMemoryBytes += mem;
    else u.memoryBytes += mem;
  }
  return u;
}
