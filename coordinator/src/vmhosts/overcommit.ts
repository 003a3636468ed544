// Overcommit arithmetic (ARCHITECTURE.md "VM hosts"): a VM host may hand out its cores and memory
// up to capacity x ratio (0 to 10). Usage counts what the assigned project's instances take plus
// what other projects' instances take: the host is shared, Mooring is only a tenant. What counts is
// the agent's to decide, once, in its report (lxd.proto LxdUsage: every instance of the project,
// other projects' instances only while not Stopped); this file adds the report's figures and
// composes not yet reported. When the agent cannot know other projects' usage (its LXD certificate
// is restricted to its project), budgets count what is known, the project, and say so. Hugepage
// memory is reserved physical memory: it is never overcommitted, and it is not part of the
// ordinary memory capacity.
import type { LxdResources__Output, LxdUsage__Output } from '../../../proto/generated/index.js';
import { formatBytes } from '../../../proto/shared/byte-size.js';

export interface Budget {
  readonly ratio: number;
  readonly capacity: number;
  /** floor(capacity x ratio). */
  readonly allowed: number;
  readonly used: number;
  /** allowed - used, never below 0. */
  readonly free: number;
}

export interface HostBudgets {
  readonly cores: Budget;
  readonly memory: Budget;
  readonly hugepages: Budget;
  /** Whether `used` includes other projects: false when the agent could not read them. */
  readonly otherProjectsKnown: boolean;
}

/** What one VM takes (or several, for composes not yet in a report). */
export interface Demand {
  readonly cores: number;
  readonly memoryBytes: number;
  readonly hugepages: boolean;
}

const NO_USAGE: LxdUsage__Output = { cores: 0, memoryBytes: 0, hugepageMemoryBytes: 0, instances: 0, uncountedInstances: 0 };

function budget(ratio: number, capacity: number, used: number): Budget {
  const allowed = Math.floor(capacity * ratio);
  return { ratio, capacity, allowed, used, free: Math.max(0, allowed - used) };
}

/** The host's budgets from its report, plus demands not yet in any report (composes in flight). */
export function hostBudgets(
  ratios: { cpu: number; memory: number },
  resources: LxdResources__Output,
  pending: readonly Demand[] = [],
): HostBudgets {
  const tracked = resources.tracked ?? NO_USAGE;
  const otherProjectsKnown = resources.otherUsage !== 'LXD_OTHER_USAGE_UNKNOWN';
  const other = (otherProjectsKnown ? resources.other : null) ?? NO_USAGE;
  let cores = tracked.cores + other.cores;
  let memory = tracked.memoryBytes + other.memoryBytes;
  let hugepages = tracked.hugepageMemoryBytes + other.hugepageMemoryBytes;
  for (const d of pending) {
    cores += d.cores;
    if (d.hugepages) hugepages += d.memoryBytes;
    else memory += d.memoryBytes;
  }
  // LXD's limits.cpu counts threads (its cpu ids): capacity is the thread count.
  const coreCapacity = resources.threads || resources.cores;
  return {
    cores: budget(ratios.cpu, coreCapacity, cores),
    memory: budget(ratios.memory, Math.max(0, resources.memoryTotal - resources.hugepagesTotal), memory),
    hugepages: budget(1, resources.hugepagesTotal, hugepages),
    otherProjectsKnown,
  };
}

/**
 * Why `demand` does not fit, one line per resource that would pass its budget (empty: it fits):
 * "memory: ratio 1.5 x 16 GiB capacity = 24 GiB, 20 GiB used, 8 GiB requested".
 */
export function overcommitProblems(budgets: HostBudgets, demand: Demand): string[] {
  const problems: string[] = [];
  const { cores, memory, hugepages } = budgets;
  if (cores.used + demand.cores > cores.allowed) {
    problems.push(
      `cores: ratio ${cores.ratio} x ${cores.capacity} capacity = ${cores.allowed}, ${cores.used} used, ${demand.cores} requested`,
    );
  }
  if (demand.hugepages) {
    if (hugepages.used + demand.memoryBytes > hugepages.allowed) {
      problems.push(
        `hugepage memory (never overcommitted): ${formatBytes(hugepages.capacity)} capacity, ${formatBytes(hugepages.used)} used, ` +
          `${formatBytes(demand.memoryBytes)} requested`,
      );
    }
  } else if (memory.used + demand.memoryBytes > memory.allowed) {
    problems.push(
      `memory: ratio ${memory.ratio} x ${formatBytes(memory.capacity)} capacity = ${formatBytes(memory.allowed)}, ` +
        `${formatBytes(memory.used)} used, ${formatBytes(demand.memoryBytes)} requested`,
    );
  }
  if (problems.length > 0 && !budgets.otherProjectsKnown)
    problems.push("used counts this host's project only: other projects' usage is unknown (the agent's LXD certificate is restricted)");
  return problems;
}
