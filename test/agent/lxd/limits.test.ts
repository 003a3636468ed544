// LXD's limit notations and the usage split (pure functions).
import { describe, expect, it } from 'vitest';
import { cpuLimit, formatCpuSet, parseCpuSet, parseLxdSize, parseMemoryLimit } from '../../../agent/src/lxd/limits.js';
import { usageOf, type RawInstance } from '../../../agent/src/lxd/resources.js';
import { decodeTrustToken } from '../../../agent/src/lxd/trust.js';

describe('LXD limits', () => {
  it('parses sizes with decimal and binary suffixes, and percentages of host memory', () => {
    expect(parseLxdSize('1GiB')).toBe(2 ** 30);
    expect(parseLxdSize('512MB')).toBe(512e6);
    expect(parseLxdSize('1073741824')).toBe(2 ** 30);
    expect(parseLxdSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseLxdSize('12 parsecs')).toBeNull();
    expect(parseMemoryLimit('50%', 8 * 2 ** 30)).toBe(4 * 2 ** 30);
  });

  it('reads limits.cpu as a count or a pinned set, and writes sets compactly', () => {
    expect(parseCpuSet('0-3,6')).toEqual([0, 1, 2, 3, 6]);
    expect(parseCpuSet('3-1')).toBeNull();
    expect(formatCpuSet([6, 0, 1, 2, 3])).toBe('0-3,6');
    expect(cpuLimit('4', 'container')).toEqual({ cores: 4, pinned: null });
    expect(cpuLimit('2-2', 'container')).toEqual({ cores: 1, pinned: [2] });
    expect(cpuLimit(undefined, 'virtual-machine').cores).toBe(1);
    expect(cpuLimit(undefined, 'container').cores).toBe(0);
  });

  const sample: RawInstance[] = [
    {
      name: 'a',
      type: 'virtual-machine',
      status: 'Running',
      config: { 'limits.cpu': '2', 'limits.memory': '2GiB', 'limits.memory.hugepages': 'true' },
    },
    { name: 'b', type: 'virtual-machine', status: 'Stopped', config: {} },
    { name: 'c', type: 'container', status: 'Running', config: { 'limits.cpu': '0-1', 'limits.memory': '25%' } },
  ];

  it('sums usage with hugepage-backed memory apart and LXD defaults for VMs without limits', () => {
    const u = usageOf(sample, 8 * 2 ** 30);
    expect(u).toEqual({
      cores: 5,
      memoryBytes: 2 ** 30 + 2 * 2 ** 30,
      hugepageMemoryBytes: 2 * 2 ** 30,
      instances: 3,
      uncountedInstances: 0,
    });
  });

  it('leaves stopped instances out when counting other projects, counting them as uncounted', () => {
    const u = usageOf(sample, 8 * 2 ** 30, 'not-stopped');
    expect(u).toEqual({ cores: 4, memoryBytes: 2 * 2 ** 30, hugepageMemoryBytes: 2 * 2 ** 30, instances: 3, uncountedInstances: 1 });
  });

  it('decodes an LXD trust token and refuses anything else', () => {
    const token = Buffer.from(
      JSON.stringify({
        client_name: 'h1',
        fingerprint: 'AB'.repeat(32),
        addresses: ['127.0.0.1:8443'],
        secret: 's3',
        expires_at: '0001-01-01T00:00:00Z',
      }),
    ).toString('base64');
    expect(decodeTrustToken(token)).toEqual({
      clientName: 'h1',
      fingerprint: 'ab'.repeat(32),
      addresses: ['127.0.0.1:8443'],
      secret: 's3',
    });
    expect(() => decodeTrustToken('not-a-token')).toThrow(/not an LXD certificate add token/);
  });
});
