// PF and VF discovery against the SR-IOV sysfs SIMULATION (test/harness/sriov-sim.ts).
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotSriovPfError } from '../../../agent/src/sriov/errors.js';
import { discoverPfs, readPf } from '../../../agent/src/sriov/pf-discovery.js';
import { VfCounter } from '../../../agent/src/sriov/vf-count.js';
import { SriovSysfsSimulation } from '../../harness/sriov-sim.js';

let sim: SriovSysfsSimulation;
beforeEach(async () => {
  sim = await SriovSysfsSimulation.create();
});
afterEach(async () => {
  await sim.close();
});

describe('discoverPfs on the simulated sysfs', () => {
  it('finds SR-IOV PFs with PCI address, driver, NUMA node, link state, counts and VFs', async () => {
    await sim.addPf({ netdev: 'enp3s0f0np0', bdf: '0000:03:00.0', totalVfs: 8, numaNode: 1, mac: '0c:42:a1:11:22:33', operState: 'down' });
    await sim.addPf({ netdev: 'enp4s0f0', bdf: '0000:04:00.0', totalVfs: 64, driver: 'ice', offset: 8, stride: 1 });
    await sim.addPlainPciFunction('0000:00:03.0', 'virtio-pci');
    await sim.addPort({ netdev: 'ens3', parentBdf: '0000:00:03.0', switchId: null, physPortName: null });
    await new VfCounter(sim.root, sim.writer, pino({ level: 'silent' })).set('enp3s0f0np0', 2);

    const { pfs, problems } = await discoverPfs(sim.root);
    expect(problems).toEqual([]);
    // The VF netdevs themselves (enp3s0f0np0v0, ...) hang off VF PCI functions without sriov_totalvfs.
    expect(pfs.map((pf) => pf.netdev)).toEqual(['enp3s0f0np0', 'enp4s0f0']);
    expect(pfs[0]).toEqual({
      netdev: 'enp3s0f0np0',
      pciAddress: '0000:03:00.0',
      driver: 'mlx5_core',
      numaNode: 1,
      operState: 'down',
      mac: '0c:42:a1:11:22:33',
      physSwitchId: null,
      physPortName: null,
      totalVfs: 8,
      numVfs: 2,
      autoprobe: true,
      vfOffset: 2,
      vfStride: 1,
      vfs: [
        { index: 0, pciAddress: '0000:03:00.2', netdev: 'enp3s0f0np0v0', mac: '02:00:00:00:08:00' },
        { index: 1, pciAddress: '0000:03:00.3', netdev: 'enp3s0f0np0v1', mac: '02:00:00:00:08:01' },
      ],
      missing: [],
    });
    expect(pfs[1]).toMatchObject({ driver: 'ice', totalVfs: 64, numVfs: 0, vfOffset: 8, vfs: [] });
  });

  it('reports missing attributes instead of failing: no driver, no numa_node, no autoprobe, no operstate', async () => {
    await sim.addPf({
      netdev: 'eth0',
      bdf: '0000:03:00.0',
      totalVfs: 4,
      driver: null,
      omit: ['numa_node', 'sriov_drivers_autoprobe', 'sriov_offset', 'net/eth0/operstate'],
    });
    const pf = await readPf(sim.root, 'eth0');
    expect(pf).toMatchObject({ driver: null, numaNode: null, autoprobe: null, vfOffset: null, operState: null, totalVfs: 4, numVfs: 0 });
    expect(pf.missing).toEqual([
      { file: 'class/net/eth0/device/driver', code: 'ENOENT' },
      { file: 'class/net/eth0/device/numa_node', code: 'ENOENT' },
      { file: 'class/net/eth0/device/sriov_drivers_autoprobe', code: 'ENOENT' },
      { file: 'class/net/eth0/operstate', code: 'ENOENT' },
      { file: 'class/net/eth0/device/sriov_offset', code: 'ENOENT' },
    ]);
  });

  it('lists virtfn links whose netdevs have not appeared yet with netdev null', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 4, vfNetdevs: { mode: 'held' } });
    await sim.writer.write(`${sim.root}/class/net/eth0/device/sriov_numvfs`, '2');
    expect((await readPf(sim.root, 'eth0')).vfs).toEqual([
      { index: 0, pciAddress: '0000:03:00.2', netdev: null, mac: null },
      { index: 1, pciAddress: '0000:03:00.3', netdev: null, mac: null },
    ]);
    await sim.releaseNetdevs('eth0');
    expect((await readPf(sim.root, 'eth0')).vfs.map((vf) => vf.netdev)).toEqual(['eth0v0', 'eth0v1']);
  });

  it('sorts VFs numerically (virtfn10 after virtfn9)', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 16, vfNetdevs: { mode: 'never' } });
    await sim.writer.write(`${sim.root}/class/net/eth0/device/sriov_numvfs`, '11');
    const pf = await readPf(sim.root, 'eth0');
    expect(pf.vfs.map((vf) => vf.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pf.vfs[10]!.pciAddress).toBe('0000:03:01.4');
  });

  it('counts the switchdev uplink as the PF and its representors (same PCI function) as not', async () => {
    await sim.addPf({
      netdev: 'p0',
      bdf: '0000:03:00.0',
      totalVfs: 8,
      vfNetdevs: { mode: 'never' },
      switchdev: { switchId: '8c91c6a1b2c3d4e5', uplinkPortName: 'p0' },
    });
    await sim.writer.write(`${sim.root}/class/net/p0/device/sriov_numvfs`, '2');
    const { pfs } = await discoverPfs(sim.root);
    expect(pfs.map((pf) => [pf.netdev, pf.physSwitchId, pf.physPortName])).toEqual([['p0', '8c91c6a1b2c3d4e5', 'p0']]);
  });

  it('refuses to read a netdev without sriov_totalvfs as a PF, and reports an unlistable root', async () => {
    await sim.addPlainPciFunction('0000:00:03.0', 'virtio-pci');
    await sim.addPort({ netdev: 'ens3', parentBdf: '0000:00:03.0', switchId: null, physPortName: null });
    await expect(readPf(sim.root, 'ens3')).rejects.toBeInstanceOf(NotSriovPfError);
    expect(await discoverPfs(`${sim.root}/nonexistent`)).toEqual({ pfs: [], problems: [{ file: 'class/net', code: 'ENOENT' }] });
  });
});
