// CPU sets as LXD writes limits.cpu when pinned ("0-3", "0,2,5-7"), and the choice of pinned CPUs
// on one NUMA node for compose: pinned sets stay on one node so a VM's memory and CPUs are local.
import type { LxdInstance__Output, LxdNumaNode__Output } from '../../../proto/generated/index.js';
import { formatCpuSet, parseCpuSet } from '../../../proto/shared/cpu-set.js';
import { NumaPlacementError } from './errors.js';

function pinnedByInstances(instances: readonly LxdInstance__Output[]): Set<number> {
  const taken = new Set<number>();
  for (const i of instances) for (const c of parseCpuSet(i.pinnedCpus) ?? []) taken.add(c);
  return taken;
}

/** `count` CPUs of NUMA node `node`, preferring those no instance of the project has pinned. */
export function pickCpusOnNode(
  nodes: readonly LxdNumaNode__Output[],
  node: number,
  count: number,
  instances: readonly LxdInstance__Output[],
): string {
  const numa = nodes.find((n) => n.node === node);
  if (!numa)
    throw new NumaPlacementError(
      `numa_node: the host has no NUMA node ${node} (nodes: ${nodes.map((n) => n.node).join(', ') || 'none reported'})`,
    );
  const taken = pinnedByInstances(instances);
  const free = numa.cpus.filter((c) => !taken.has(c));
  if (free.length < count) {
    throw new NumaPlacementError(
      `NUMA node ${node} has ${numa.cpus.length} CPUs, ${free.length} not pinned by other instances: cannot pin ${count}`,
    );
  }
  return formatCpuSet(free.slice(0, count));
}

/** Checks a requested pinned set: every CPU exists and all are on one NUMA node. */
export function checkPinnedSet(nodes: readonly LxdNumaNode__Output[], cpus: readonly number[]): void {
  const owners = new Set<number>();
  for (const c of cpus) {
    const owner = nodes.find((n) => n.cpus.includes(c));
    if (!owner) throw new NumaPlacementError(`pinned_cpus: the host has no CPU ${c}`);
    owners.add(owner.node);
  }
  if (owners.size > 1)
    throw new NumaPlacementError(
      `pinned_cpus: ${formatCpuSet(cpus)} spans NUMA nodes ${[...owners].sort().join(', ')}; a pinned set must be on one node`,
    );
}
