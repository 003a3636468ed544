// collectInventory on this machine (shapes and plausible values), with a fake sysfs tree for
// driver and PCI address, and with failing or hanging sources.
import os from 'node:os';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInventory } from '../../../agent/src/inventory/inventory.js';
import type { HostInfoSource, HostNic } from '../../../agent/src/inventory/host-info-source.js';
import { fakeSysfs } from './fake-sysfs.js';

let root: string;

beforeAll(async () => {
  root = await fakeSysfs([
    {
      name: 'ens1f0np0',
      device: 'pci0000:00/0000:00:02.0/0000:03:00.0',
      driver: 'mlx5_core',
      mac: 'b8:ce:f6:00:00:01',
      speed: '25000',
      mtu: '9000',
      operstate: 'up',
    },
    { name: 'lo', mac: '00:00:00:00:00:00', mtu: '65536', operstate: 'unknown' },
  ]);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const nic = (iface: string, extra: Partial<HostNic> = {}): HostNic => ({
  iface,
  mac: '',
  internal: false,
  virtual: false,
  operstate: 'up',
  mtu: 1500,
  speed: null,
  ...extra,
});

function fakeHost(over: Partial<HostInfoSource> = {}): HostInfoSource {
  return {
    cpu: () => Promise.resolve({ manufacturer: 'Ampere', brand: 'Altra', cores: 16, physicalCores: 16 }),
    memTotal: () => Promise.resolve(32 * 2 ** 30),
    os: () =>
      Promise.resolve({ distro: 'Ubuntu', release: '22.04', codename: 'jammy', kernel: '5.15.0', arch: 'arm64', hostname: 'dpu-7' }),
    networkInterfaces: () =>
      Promise.resolve([nic('lo', { internal: true, mac: '00:00:00:00:00:00' }), nic('ens1f0np0', { mac: 'b8:ce:f6:00:00:01', speed: -1 })]),
    ...over,
  };
}

describe('collectInventory on this machine', () => {
  it('returns plausible CPU, memory, OS and interfaces, JSON-serialisable, with the role', async () => {
    const inv = await collectInventory({ role: 'vmhost' });
    expect(inv.role).toBe('vmhost');
    expect(inv.cpu.logicalCores).toBeGreaterThanOrEqual(1);
    expect(inv.cpu.physicalCores ?? 1).toBeGreaterThanOrEqual(1);
    expect(inv.cpu.model.length).toBeGreaterThan(0);
    expect(inv.memory.totalBytes).toBeGreaterThan(0);
    expect(inv.os.kernel).toBe(os.release());
    expect(inv.os.arch).toBe(os.arch());
    expect(inv.hostname.length).toBeGreaterThan(0);
    const lo = inv.networkInterfaces.find((n) => n.name === 'lo');
    expect(lo).toMatchObject({ name: 'lo', virtual: true, pciAddress: null, driver: null });
    for (const n of inv.networkInterfaces) {
      expect(n.name).toMatch(/^\S+$/);
      if (n.mac !== null) expect(n.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      if (n.pciAddress !== null) expect(n.pciAddress).toMatch(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/);
    }
    expect(inv.ovs).toBeNull();
    expect(inv.failures.filter((f) => f.source !== 'sysfs')).toEqual([]);
    expect(JSON.parse(JSON.stringify(inv))).toEqual(inv);
    expect(Date.parse(inv.collectedAt)).not.toBeNaN();
  });
});

describe('collectInventory with injected sources', () => {
  it('fills driver and PCI address from sysfs where systeminformation lacks them', async () => {
    const inv = await collectInventory({ role: 'smartnic', hostInfo: fakeHost(), sysfsRoot: root });
    expect(inv.cpu).toEqual({ model: 'Ampere Altra', physicalCores: 16, logicalCores: 16 });
    expect(inv.memory).toEqual({ totalBytes: 32 * 2 ** 30 });
    expect(inv.os).toEqual({ distro: 'Ubuntu', release: '22.04', codename: 'jammy', kernel: '5.15.0', arch: 'arm64' });
    expect(inv.hostname).toBe('dpu-7');
    expect(inv.networkInterfaces).toEqual([
      {
        name: 'ens1f0np0',
        mac: 'b8:ce:f6:00:00:01',
        speedMbps: 25000,
        mtu: 1500,
        operState: 'up',
        driver: 'mlx5_core',
        pciAddress: '0000:03:00.0',
        virtual: false,
      },
      { name: 'lo', mac: '00:00:00:00:00:00', speedMbps: null, mtu: 1500, operState: 'up', driver: null, pciAddress: null, virtual: true },
    ]);
    expect(inv.failures).toEqual([]);
  });

  it('records a failing source, falls back to node:os, and still returns the rest', async () => {
    const inv = await collectInventory({
      role: 'smartnic',
      sysfsRoot: root,
      hostInfo: fakeHost({
        cpu: () => Promise.reject(new Error('lscpu exploded')),
        memTotal: () => Promise.reject(new Error('no /proc/meminfo')),
      }),
    });
    expect(inv.failures).toEqual([
      { source: 'cpu', error: 'lscpu exploded' },
      { source: 'memory', error: 'no /proc/meminfo' },
    ]);
    expect(inv.cpu).toEqual({ model: os.cpus()[0]?.model ?? 'unknown', physicalCores: null, logicalCores: os.availableParallelism() });
    expect(inv.memory.totalBytes).toBe(os.totalmem());
    expect(inv.os.distro).toBe('Ubuntu');
    expect(inv.networkInterfaces).toHaveLength(2);
  });

  it('caps each source: one that never answers is recorded as timed out', async () => {
    const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
    const inv = await collectInventory({
      role: 'smartnic',
      sysfsRoot: root,
      timeoutMs: 50,
      hostInfo: fakeHost({ os: never, networkInterfaces: never }),
    });
    expect(inv.failures).toEqual([
      { source: 'os', error: 'os did not answer within 50 ms' },
      { source: 'network', error: 'systeminformation: network did not answer within 50 ms; listed from sysfs' },
    ]);
    expect(inv.os).toEqual({ distro: null, release: null, codename: null, kernel: os.release(), arch: os.arch() });
    // The interface list came from sysfs alone.
    expect(inv.networkInterfaces.map((n) => [n.name, n.driver, n.pciAddress])).toEqual([
      ['ens1f0np0', 'mlx5_core', '0000:03:00.0'],
      ['lo', null, null],
    ]);
    expect(inv.cpu.model).toBe('Ampere Altra');
  });

  it('records an OVS replica without an Open_vSwitch row', async () => {
    const inv = await collectInventory({ role: 'smartnic', sysfsRoot: root, hostInfo: fakeHost(), ovs: { rows: () => [] } });
    expect(inv.ovs).toBeNull();
    expect(inv.failures).toEqual([{ source: 'ovs', error: 'no Open_vSwitch row in the OVSDB replica (not connected or not yet synced)' }]);
  });
});
