// Driver and PCI address from a fake sysfs tree built in a temp dir.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SysfsNet, nearestPciAddress } from '../../../agent/src/inventory/sysfs-net.js';
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
    {
      name: 'eth0',
      device: 'pci0000:00/0000:00:03.0/virtio2',
      driver: 'virtio_net',
      mac: '52:54:00:aa:bb:cc',
      speed: '-1',
      mtu: '1500',
      operstate: 'up',
    },
    { name: 'end0', device: 'platform/fe300000.ethernet', driver: 'rk_gmac-dwmac', mac: '02:00:00:00:00:02', operstate: 'down' },
    { name: 'pf0vf3', device: 'pci0000:00/0000:03:00.4', mac: '02:00:00:00:00:03' },
    { name: 'lo', mac: '00:00:00:00:00:00', mtu: '65536', operstate: 'unknown' },
  ]);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('SysfsNet', () => {
  it('lists class/net', async () => {
    expect(await new SysfsNet(root).list()).toEqual(['end0', 'ens1f0np0', 'eth0', 'lo', 'pf0vf3']);
  });

  it('reads the PCI address and driver of a PCI NIC', async () => {
    expect(await new SysfsNet(root).read('ens1f0np0')).toEqual({
      name: 'ens1f0np0',
      pciAddress: '0000:03:00.0',
      driver: 'mlx5_core',
      mac: 'b8:ce:f6:00:00:01',
      speedMbps: 25000,
      mtu: 9000,
      operState: 'up',
      virtual: false,
    });
  });

  it('takes the PCI function above a virtio device, and the virtio driver', async () => {
    const nic = await new SysfsNet(root).read('eth0');
    expect(nic).toMatchObject({ pciAddress: '0000:00:03.0', driver: 'virtio_net', speedMbps: null, virtual: false });
  });

  it('has no PCI address for a platform device, but its driver', async () => {
    expect(await new SysfsNet(root).read('end0')).toMatchObject({
      pciAddress: null,
      driver: 'rk_gmac-dwmac',
      speedMbps: null,
      mtu: null,
      operState: 'down',
    });
  });

  it('has a PCI address but no driver for an unbound function', async () => {
    expect(await new SysfsNet(root).read('pf0vf3')).toMatchObject({ pciAddress: '0000:03:00.4', driver: null });
  });

  it('reports a software interface (no device link) as virtual, with nothing missing flagged as a problem', async () => {
    const problems: { name: string; error: string }[] = [];
    expect(await new SysfsNet(root).read('lo', problems)).toEqual({
      name: 'lo',
      pciAddress: null,
      driver: null,
      mac: '00:00:00:00:00:00',
      speedMbps: null,
      mtu: 65536,
      operState: 'unknown',
      virtual: true,
    });
    expect(problems).toEqual([]);
  });

  it('finds the nearest PCI address on a device path', () => {
    expect(nearestPciAddress('/sys/devices/pci0000:00/0000:00:1C.0/0000:05:00.1')).toBe('0000:05:00.1');
    expect(nearestPciAddress('/sys/devices/pci0000:00/0000:00:03.0/virtio2')).toBe('0000:00:03.0');
    expect(nearestPciAddress('/sys/devices/platform/fe300000.ethernet')).toBeNull();
  });
});
