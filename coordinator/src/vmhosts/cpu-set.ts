// CPU sets as LXD writes limits.cpu when pinned ("0-3", "0,2,5-7"), and the choice of pinned CPUs
// on one NUMA node for compose: pinned sets stay on one node so a VM's memory and CPUs are local.
import type { LxdInstanceMessage, LxdNumaNodeMessage } from '../../../proto/mooring/v1/lxd-types.js';
import { NumaPlacementError } from './errors.js';

/** "0-3,6" -> [0, 1, 2, 3, 6]; null when the text is not a CPU set. */
export function parseCpuSet(text: string): number[] | null {
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text)) return null;
  const cpus = new Set<number>();
  for (const part of text.split(',')) {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    const end = b ?? a;
    if (end < a || end - a > 4096) return null;
    for (let c = a; c <= end; c++) cpus.add(c);
  }
  return [...cpus].sort((x, y) => x - y);
}

/** [0, 1, 2, 3, 6] -> "0-3,6". */
export function formatCpuSet(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function pinnedByInstances(instances: readonly LxdInstanceMessage[]): Set<number> {
  const taken = new Set<number>();
  for (const i of instances) for (const c of parseCpuSet(i.pinnedCpus) ?? []) taken.add(c);
  return taken;
}

/** `count` CPUs of NUMA node `node`, preferring those no instance of the project has pinned. */
export function pickCpusOnNode(nodes: readonly LxdNumaNodeMessage[], node: number, count: number, instances: readonly LxdInstanceMessage[]): string {
  const numa = nodes.find((n) => n.node === node);
  if (!numa) throw new NumaPlacementError(`numa_node: the host has no NUMA node ${node} (nodes: ${nodes.map((n) => n.node).join(', ') || 'none reported'})`);
  const taken = pinnedByInstances(instances);
  const free = numa.cpus.filter((c) => !taken.has(c));
  if (free.length < count) {
    throw new NumaPlacementError(`NUMA node ${node} has ${numa.cpus.length} CPUs, ${free.length} not pinned by other instances: cannot pin ${count}`);
  }
  return formatCpuSet(free.slice(0, count));
}

/** Checks a requested pinned set: every CPU exists and all are on one NUMA node. */
export function checkPinnedSet(nodes: readonly LxdNumaNodeMessage[], cpus: readonly number[]): void {
  const owners = new Set<number>();
  for (const c of cpus) {
    const owner = nodes.find((n) => n.cpus.includes(c));
    if (!owner) throw new NumaPlacementError(`pinned_cpus: the host has no CPU ${c}`);
    owners.add(owner.node);
  }
  if (owners.size > 1) throw new NumaPlacementError(`pinned_cpus: ${formatCpuSet(cpus)} spans NUMA nodes ${[...owners].sort().join(', ')}; a pinned set must be on one node`);
}
