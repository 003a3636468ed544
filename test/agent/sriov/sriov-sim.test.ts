// The SR-IOV sysfs SIMULATION itself: its layout and its simulated sriov_numvfs_store follow the
// kernel (protocol-facts 3.1), so tests of the agent's code against it mean something.
import { once } from 'node:events';
import { readFile, readlink, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SriovSysfsSimulation, vfAddress } from '../../harness/sriov-sim.js';

let sim: SriovSysfsSimulation;
beforeEach(async () => {
  sim = await SriovSysfsSimulation.create();
});
afterEach(async () => {
  await sim.close();
});

const numvfs = (pf: string): string => path.join(sim.root, 'class/net', pf, 'device/sriov_numvfs');
const read = async (rel: string): Promise<string> => (await readFile(path.join(sim.root, rel), 'utf8')).trim();

describe('simulated sysfs layout', () => {
  it('links class/net/<pf> into the PCI device tree with the SR-IOV attributes and driver', async () => {
    await sim.addPf({ netdev: 'enp3s0f0np0', bdf: '0000:03:00.0', totalVfs: 8, numaNode: 1 });
    expect(await readlink(path.join(sim.root, 'class/net/enp3s0f0np0'))).toBe('../../devices/pci0000:00/0000:03:00.0/net/enp3s0f0np0');
    expect(await realpath(path.join(sim.root, 'class/net/enp3s0f0np0/device'))).toBe(
      path.join(sim.root, 'devices/pci0000:00/0000:03:00.0'),
    );
    expect(await read('class/net/enp3s0f0np0/device/sriov_totalvfs')).toBe('8');
    expect(await read('class/net/enp3s0f0np0/device/sriov_numvfs')).toBe('0');
    expect(await read('class/net/enp3s0f0np0/device/numa_node')).toBe('1');
    expect(path.basename(await readlink(path.join(sim.root, 'class/net/enp3s0f0np0/device/driver')))).toBe('mlx5_core');
  });

  it('computes VF addresses by routing-ID arithmetic, carrying into the next device and bus', () => {
    expect(vfAddress('0000:03:00.0', 2, 1, 0)).toBe('0000:03:00.2');
    expect(vfAddress('0000:03:00.0', 2, 1, 6)).toBe('0000:03:01.0');
    expect(vfAddress('0000:81:1f.0', 8, 1, 0)).toBe('0000:82:00.0');
  });
});

describe('simulated sriov_numvfs_store', () => {
  beforeEach(async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 4, vfNetdevs: { mode: 'held' } });
  });

  it('creates virtfn links (with physfn back-links) during the write and VF netdevs only later', async () => {
    await sim.writer.write(numvfs('eth0'), '2');
    const dev = path.join(sim.root, 'class/net/eth0/device');
    expect((await readdir(dev)).filter((e) => e.startsWith('virtfn')).sort()).toEqual(['virtfn0', 'virtfn1']);
    expect(await readlink(path.join(dev, 'virtfn1'))).toBe('../0000:03:00.3');
    expect(await readlink(path.join(dev, 'virtfn1/physfn'))).toBe('../0000:03:00.0');
    await expect(readdir(path.join(dev, 'virtfn0/net'))).rejects.toMatchObject({ code: 'ENOENT' });
    const appeared = once(sim.events, 'vf-netdevs');
    await sim.releaseNetdevs('eth0');
    expect(await appeared).toEqual(['eth0']);
    expect(await readdir(path.join(dev, 'virtfn0/net'))).toEqual(['eth0v0']);
    expect(await read('class/net/eth0v1/address')).toBe('02:00:00:00:04:01');
  });

  it('answers with Node-style errno errors in the kernel order, and 0 removes everything', async () => {
    await expect(sim.writer.write(numvfs('eth0'), '5')).rejects.toMatchObject({ code: 'ERANGE', syscall: 'write', errno: -34 });
    await expect(sim.writer.write(numvfs('eth0'), 'two')).rejects.toMatchObject({ code: 'EINVAL' });
    await sim.writer.write(numvfs('eth0'), '2');
    await sim.writer.write(numvfs('eth0'), '2');
    await expect(sim.writer.write(numvfs('eth0'), '3')).rejects.toMatchObject({ code: 'EBUSY', errno: -16 });
    await sim.releaseNetdevs('eth0');
    await sim.writer.write(numvfs('eth0'), '0');
    const dev = path.join(sim.root, 'class/net/eth0/device');
    expect((await readdir(dev)).filter((e) => e.startsWith('virtfn'))).toEqual([]);
    expect((await readdir(path.join(sim.root, 'class/net'))).sort()).toEqual(['eth0']);
    expect(await read('class/net/eth0/device/sriov_numvfs')).toBe('0');
    expect(sim.writes.map((w) => `${w.value}:${w.outcome}`)).toEqual(['5:ERANGE', 'two:EINVAL', '2:ok', '2:ok', '3:EBUSY', '0:ok']);
  });

  it('refuses with ENOENT when no PF driver is bound, but still ERANGE first', async () => {
    await sim.addPf({ netdev: 'eth1', bdf: '0000:04:00.0', totalVfs: 4, driver: null });
    await expect(sim.writer.write(numvfs('eth1'), '9')).rejects.toMatchObject({ code: 'ERANGE' });
    await expect(sim.writer.write(numvfs('eth1'), '1')).rejects.toMatchObject({ code: 'ENOENT', errno: -2 });
  });
});
