// Overcommit arithmetic and CPU placement (pure): capacity x ratio against what the project and
// other projects use (the project only when other projects' usage is unknown), hugepages never
// overcommitted, pinned sets on one NUMA node.
import { describe, expect, it } from 'vitest';
import { checkPinnedSet, pickCpusOnNode } from '../../../coordinator/src/vmhosts/cpu-set.js';
import { formatCpuSet, parseCpuSet } from '../../../proto/shared/cpu-set.js';
import { formatBytes } from '../../../proto/shared/byte-size.js';
import { hostBudgets, overcommitProblems } from '../../../coordinator/src/vmhosts/overcommit.js';
import { GIB, instance, resources } from './lxd-report.js';

describe('overcommit', () => {
  it('allows capacity x ratio, counting the project and other projects', () => {
    const r = resources({
      tracked: { cores: 6, memoryBytes: 10 * GIB, hugepageMemoryBytes: 0, instances: 3, uncountedInstances: 0 },
      other: { cores: 4, memoryBytes: 10 * GIB, hugepageMemoryBytes: 0, instances: 2, uncountedInstances: 0 },
    });
    const b = hostBudgets({ cpu: 2, memory: 1.5 }, r);
    expect(b.cores).toEqual({ ratio: 2, capacity: 8, allowed: 16, used: 10, free: 6 });
    // Hugepages are not ordinary memory: 16 GiB total - 4 GiB hugepages = 12 GiB capacity.
    expect(b.memory).toEqual({ ratio: 1.5, capacity: 12 * GIB, allowed: 18 * GIB, used: 20 * GIB, free: 0 });
    expect(overcommitProblems(b, { cores: 6, memoryBytes: 0, hugepages: true })).toEqual([]);
    expect(overcommitProblems(b, { cores: 7, memoryBytes: 0, hugepages: true })).toEqual([
      'cores: ratio 2 x 8 capacity = 16, 10 used, 7 requested',
    ]);
  });

  it('says ratio, capacity, used and requested when memory does not fit', () => {
    const r = resources({
      memoryTotal: 20 * GIB,
      tracked: { cores: 0, memoryBytes: 12 * GIB, hugepageMemoryBytes: 0, instances: 1, uncountedInstances: 0 },
      other: { cores: 0, memoryBytes: 8 * GIB, hugepageMemoryBytes: 0, instances: 1, uncountedInstances: 0 },
    });
    const b = hostBudgets({ cpu: 1, memory: 1.5 }, r);
    expect(overcommitProblems(b, { cores: 1, memoryBytes: 8 * GIB, hugepages: false })).toEqual([
      'memory: ratio 1.5 x 16 GiB capacity = 24 GiB, 20 GiB used, 8 GiB requested',
    ]);
    expect(overcommitProblems(b, { cores: 1, memoryBytes: 4 * GIB, hugepages: false })).toEqual([]);
  });

  it('never overcommits hugepage memory, whatever the memory ratio', () => {
    const r = resources({ tracked: { cores: 0, memoryBytes: 0, hugepageMemoryBytes: 3 * GIB, instances: 1, uncountedInstances: 0 } });
    const b = hostBudgets({ cpu: 10, memory: 10 }, r);
    expect(b.hugepages).toEqual({ ratio: 1, capacity: 4 * GIB, allowed: 4 * GIB, used: 3 * GIB, free: GIB });
    expect(overcommitProblems(b, { cores: 1, memoryBytes: 2 * GIB, hugepages: true })).toEqual([
      'hugepage memory (never overcommitted): 4 GiB capacity, 3 GiB used, 2 GiB requested',
    ]);
    expect(overcommitProblems(b, { cores: 1, memoryBytes: GIB, hugepages: true })).toEqual([]);
  });

  it('refuses everything at ratio 0 and counts composes not yet reported', () => {
    expect(overcommitProblems(hostBudgets({ cpu: 0, memory: 1 }, resources()), { cores: 1, memoryBytes: GIB, hugepages: false })).toEqual([
      'cores: ratio 0 x 8 capacity = 0, 0 used, 1 requested',
    ]);
    const pending = [
      { cores: 4, memoryBytes: 6 * GIB, hugepages: false },
      { cores: 2, memoryBytes: 2 * GIB, hugepages: true },
    ];
    const b = hostBudgets({ cpu: 1, memory: 1 }, resources(), pending);
    expect([b.cores.used, b.memory.used, b.hugepages.used]).toEqual([6, 6 * GIB, 2 * GIB]);
    expect(overcommitProblems(b, { cores: 3, memoryBytes: 7 * GIB, hugepages: false })).toHaveLength(2);
  });

  it('counts what is known when other projects’ usage is unknown (restricted certificate), and says so on a refusal', () => {
    const tracked = { cores: 6, memoryBytes: 10 * GIB, hugepageMemoryBytes: 0, instances: 3, uncountedInstances: 0 };
    const unknown = resources({
      tracked,
      other: null,
      otherUsage: 'LXD_OTHER_USAGE_UNKNOWN',
      otherUsageNote: 'LXD refuses to list other projects',
    });
    const b = hostBudgets({ cpu: 1, memory: 1 }, unknown);
    expect(b.otherProjectsKnown).toBe(false);
    expect([b.cores.used, b.memory.used]).toEqual([6, 10 * GIB]);
    expect(overcommitProblems(b, { cores: 2, memoryBytes: GIB, hugepages: false })).toEqual([]);
    expect(overcommitProblems(b, { cores: 3, memoryBytes: GIB, hugepages: false })).toEqual([
      'cores: ratio 1 x 8 capacity = 8, 6 used, 3 requested',
      "used counts this host's project only: other projects' usage is unknown (the agent's LXD certificate is restricted)",
    ]);
    // Known usage (and a report from an agent before the field: unspecified) counts other projects.
    const other = { cores: 2, memoryBytes: GIB, hugepageMemoryBytes: 0, instances: 2, uncountedInstances: 1 };
    for (const otherUsage of ['LXD_OTHER_USAGE_KNOWN', 'LXD_OTHER_USAGE_UNSPECIFIED'] as const) {
      const known = hostBudgets({ cpu: 1, memory: 1 }, resources({ tracked, other, otherUsage }));
      expect(known.otherProjectsKnown).toBe(true);
      expect(overcommitProblems(known, { cores: 1, memoryBytes: GIB, hugepages: false })).toEqual([
        'cores: ratio 1 x 8 capacity = 8, 8 used, 1 requested',
      ]);
    }
  });

  it('formats sizes in binary units', () => {
    expect([formatBytes(24 * GIB), formatBytes(1.5 * GIB), formatBytes(512 * 2 ** 20), formatBytes(100)]).toEqual([
      '24 GiB',
      '1.5 GiB',
      '512 MiB',
      '100 B',
    ]);
  });
});

describe('CPU sets and NUMA placement', () => {
  it('parses and formats LXD CPU sets', () => {
    expect(parseCpuSet('0-3,6')).toEqual([0, 1, 2, 3, 6]);
    expect(parseCpuSet('5')).toEqual([5]);
    for (const bad of ['', '3-1', 'a', '1,,2', '0-']) expect(parseCpuSet(bad)).toBeNull();
    expect(formatCpuSet([6, 0, 1, 2, 3])).toBe('0-3,6');
  });

  it('pins CPUs on one node, skipping those the project has pinned', () => {
    const nodes = resources().numaNodes;
    expect(pickCpusOnNode(nodes, 1, 2, [])).toBe('4-5');
    expect(pickCpusOnNode(nodes, 1, 2, [instance('a', { pinnedCpus: '4,6' })])).toBe('5,7');
    expect(() => pickCpusOnNode(nodes, 0, 4, [instance('a', { pinnedCpus: '0' })])).toThrow(
      'NUMA node 0 has 4 CPUs, 3 not pinned by other instances: cannot pin 4',
    );
    expect(() => pickCpusOnNode(nodes, 2, 1, [])).toThrow('numa_node: the host has no NUMA node 2 (nodes: 0, 1)');
  });

  it('refuses a pinned set that spans nodes or names a missing CPU', () => {
    const nodes = resources().numaNodes;
    expect(() => checkPinnedSet(nodes, [0, 1])).not.toThrow();
    expect(() => checkPinnedSet(nodes, [3, 4])).toThrow('pinned_cpus: 3-4 spans NUMA nodes 0, 1; a pinned set must be on one node');
    expect(() => checkPinnedSet(nodes, [9])).toThrow('pinned_cpus: the host has no CPU 9');
  });
});
