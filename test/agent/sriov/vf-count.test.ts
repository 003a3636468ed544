// Setting the VF count against the SR-IOV sysfs SIMULATION (test/harness/sriov-sim.ts), which
// applies drivers/pci/iov.c sriov_numvfs_store's rules and records every write it sees.
import { once } from 'node:events';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FewerVfsEnabledError,
  InvalidVfCountError,
  NoSriovDriverError,
  NotSriovPfError,
  SriovWriteError,
  VfCountAboveTotalError,
  VfCountBusyError,
  VfWaitTimeoutError,
} from '../../../agent/src/sriov/errors.js';
import { VfCounter } from '../../../agent/src/sriov/vf-count.js';
import type { SysfsWriter } from '../../../agent/src/sriov/sysfs-writer.js';
import { SriovSysfsSimulation, simulatedFsError } from '../../harness/sriov-sim.js';

const log = pino({ level: 'silent' });
let sim: SriovSysfsSimulation;
let counter: VfCounter;

beforeEach(async () => {
  sim = await SriovSysfsSimulation.create();
  counter = new VfCounter(sim.root, sim.writer, log);
});
afterEach(async () => {
  expect(sim.failures).toEqual([]);
  await sim.close();
});

const seen = (): string[] => sim.writes.map((w) => `${w.attribute}=${w.value}:${w.outcome}`);

describe('VfCounter.set against the simulated sysfs', () => {
  it('enables VFs and waits for the VF netdevs the driver creates after the write', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8, vfNetdevs: { mode: 'held' } });
    const written = once(sim.events, 'write');
    const setting = counter.set('eth0', 3, { recheckMs: 60_000 });
    let settled = false;
    void setting.finally(() => (settled = true));
    // The count is written while the netdevs are still held back: set() must still be waiting.
    expect(await written).toEqual([expect.objectContaining({ attribute: 'sriov_numvfs', value: '3', outcome: 'ok' })]);
    await sim.releaseNetdevs('eth0').then(() => expect(settled).toBe(false));
    const result = await setting;
    expect(result).toMatchObject({ pf: 'eth0', requested: 3, previous: 0, enabled: 3, fewerThanRequested: false });
    expect(result.writes).toEqual([{ attribute: 'sriov_numvfs', value: '3' }]);
    expect(result.vfs).toEqual([
      { index: 0, pciAddress: '0000:03:00.2', netdev: 'eth0v0', mac: '02:00:00:00:08:00' },
      { index: 1, pciAddress: '0000:03:00.3', netdev: 'eth0v1', mac: '02:00:00:00:08:01' },
      { index: 2, pciAddress: '0000:03:00.4', netdev: 'eth0v2', mac: '02:00:00:00:08:02' },
    ]);
  });

  it('waits for netdevs that appear on the simulated driver timer (fs.watch wakes it, no polling needed)', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8, vfNetdevs: { mode: 'delayed', delayMs: 30 } });
    const result = await counter.set('eth0', 2, { recheckMs: 60_000 });
    expect(result.vfs.map((vf) => vf.netdev)).toEqual(['eth0v0', 'eth0v1']);
  });

  it('still finds the VFs by the bounded re-check where the filesystem reports no changes (as sysfs often does not)', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8, vfNetdevs: { mode: 'held' } });
    let watched = 0;
    const silent = (): { close(): void } => {
      watched++;
      return { close: () => undefined };
    };
    const blind = new VfCounter(sim.root, sim.writer, log, silent);
    const written = once(sim.events, 'write');
    const setting = blind.set('eth0', 2, { recheckMs: 20 });
    await written;
    await sim.releaseNetdevs('eth0');
    expect((await setting).vfs.map((vf) => vf.netdev)).toEqual(['eth0v0', 'eth0v1']);
    expect(watched).toBe(2); // class/net and the PF's PCI dir
    const unwatchable = new VfCounter(sim.root, sim.writer, log, () => {
      throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
    });
    await sim.addPf({ netdev: 'eth1', bdf: '0000:04:00.0', totalVfs: 8, vfNetdevs: { mode: 'delayed', delayMs: 30 } });
    expect((await unwatchable.set('eth1', 1, { recheckMs: 20 })).vfs.map((vf) => vf.netdev)).toEqual(['eth1v0']);
  });

  it('writing the current count is a no-op: nothing is written', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    expect((await counter.set('eth0', 0)).writes).toEqual([]);
    await counter.set('eth0', 2);
    sim.writes.length = 0;
    const again = await counter.set('eth0', 2, { autoprobe: false });
    expect(again).toMatchObject({ previous: 2, enabled: 2, writes: [] });
    expect(again.vfs.map((vf) => vf.index)).toEqual([0, 1]);
    expect(sim.writes).toEqual([]);
  });

  it('goes from nonzero to a different nonzero through 0', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    await counter.set('eth0', 2);
    const result = await counter.set('eth0', 4);
    expect(result).toMatchObject({ previous: 2, enabled: 4 });
    expect(seen()).toEqual(['sriov_numvfs=2:ok', 'sriov_numvfs=0:ok', 'sriov_numvfs=4:ok']);
    expect(result.vfs.map((vf) => vf.netdev)).toEqual(['eth0v0', 'eth0v1', 'eth0v2', 'eth0v3']);
  });

  it('runs concurrent calls for one PF one after another, so the second goes through 0 instead of EBUSY', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    const [first, second] = await Promise.all([counter.set('eth0', 2), counter.set('eth0', 4)]);
    expect(first).toMatchObject({ previous: 0, enabled: 2 });
    expect(second).toMatchObject({ previous: 2, enabled: 4 });
    expect(seen()).toEqual(['sriov_numvfs=2:ok', 'sriov_numvfs=0:ok', 'sriov_numvfs=4:ok']);
  });

  it('disables with 0, leaving no VFs', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    await counter.set('eth0', 2);
    const result = await counter.set('eth0', 0);
    expect(result).toMatchObject({ previous: 2, enabled: 0, vfs: [] });
    expect(seen()).toEqual(['sriov_numvfs=2:ok', 'sriov_numvfs=0:ok']);
  });

  it('refuses a count above totalvfs before writing anything', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    const err = await counter.set('eth0', 9, { autoprobe: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VfCountAboveTotalError);
    expect(err).toMatchObject({ pf: 'eth0', requested: 9, totalVfs: 8 });
    expect((err as Error).message).toBe('eth0: 9 VFs requested but sriov_totalvfs is 8');
    expect(sim.writes).toEqual([]);
  });

  it('refuses counts that are not a u16 before writing', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    for (const bad of [-1, 1.5, Number.NaN, 70_000]) await expect(counter.set('eth0', bad)).rejects.toBeInstanceOf(InvalidVfCountError);
    expect(sim.writes).toEqual([]);
  });

  it('turns ENOENT from an unbound PF into NoSriovDriverError naming the PF', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8, driver: null });
    const err = await counter.set('eth0', 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSriovDriverError);
    expect(err).toMatchObject({ pf: 'eth0', driver: null, cause: { code: 'ENOENT' } });
    expect((err as Error).message).toContain('eth0: no driver is bound');
    expect(seen()).toEqual(['sriov_numvfs=2:ENOENT']);
  });

  it('turns EBUSY (another writer enabled VFs meanwhile) into VfCountBusyError naming the PF', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    // A writer that lets someone else enable 1 VF between our read of sriov_numvfs and our write.
    const racing: SysfsWriter = {
      write: async (file, value) => {
        await sim.writer.write(file, '1');
        await sim.writer.write(file, value);
      },
    };
    const err = await new VfCounter(sim.root, racing, log).set('eth0', 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VfCountBusyError);
    expect(err).toMatchObject({ pf: 'eth0', requested: 3, cause: { code: 'EBUSY' } });
    expect(seen()).toEqual(['sriov_numvfs=1:ok', 'sriov_numvfs=3:EBUSY']);
  });

  it('maps other errnos to SriovWriteError with the errno', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    const failing: SysfsWriter = { write: () => Promise.reject(simulatedFsError('EINVAL')) };
    const err = await new VfCounter(sim.root, failing, log).set('eth0', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SriovWriteError);
    expect(err).toMatchObject({ pf: 'eth0', attribute: 'sriov_numvfs', value: '1', errno: 'EINVAL', code: 'sriov-write-failed' });
  });

  it('reports fewer VFs than asked, and refuses them only when strict', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8, enableLimit: 2 });
    const result = await counter.set('eth0', 5);
    expect(result).toMatchObject({ requested: 5, enabled: 2, fewerThanRequested: true });
    expect(result.vfs.map((vf) => vf.index)).toEqual([0, 1]);
    await counter.set('eth0', 0);
    const err = await counter.set('eth0', 4, { strict: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FewerVfsEnabledError);
    expect(err).toMatchObject({ pf: 'eth0', requested: 4, enabled: 2 });
  });

  it('writes sriov_drivers_autoprobe before enabling, and then waits for no netdevs', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    await counter.set('eth0', 1);
    const result = await counter.set('eth0', 3, { autoprobe: false });
    expect(seen()).toEqual(['sriov_numvfs=1:ok', 'sriov_numvfs=0:ok', 'sriov_drivers_autoprobe=0:ok', 'sriov_numvfs=3:ok']);
    // No VF driver binds with autoprobe off: virtfn links, no netdevs.
    expect(result.vfs.map((vf) => [vf.index, vf.netdev])).toEqual([
      [0, null],
      [1, null],
      [2, null],
    ]);
    sim.writes.length = 0;
    await counter.set('eth0', 0);
    await counter.set('eth0', 1, { autoprobe: true });
    expect(seen()).toEqual(['sriov_numvfs=0:ok', 'sriov_drivers_autoprobe=1:ok', 'sriov_numvfs=1:ok']);
  });

  it('leaves autoprobe alone when it is already as configured', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8 });
    await counter.set('eth0', 1, { autoprobe: true });
    expect(seen()).toEqual(['sriov_numvfs=1:ok']);
  });

  it('gives up at the wait bound with VfWaitTimeoutError naming the missing VF netdevs', async () => {
    await sim.addPf({ netdev: 'eth0', bdf: '0000:03:00.0', totalVfs: 8, vfNetdevs: { mode: 'never' } });
    const err = await counter.set('eth0', 2, { waitTimeoutMs: 200, recheckMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VfWaitTimeoutError);
    expect(err).toMatchObject({ pf: 'eth0', expected: 2, missingVirtfns: [], missingNetdevs: [0, 1], timeoutMs: 200 });
    // Not waiting for netdevs, the same VFs are ready at once.
    await counter.set('eth0', 0);
    expect((await counter.set('eth0', 2, { waitForNetdevs: false })).vfs).toHaveLength(2);
  });

  it('refuses a netdev that is not an SR-IOV PF, and one that does not exist', async () => {
    await sim.addPlainPciFunction('0000:00:03.0', 'virtio-pci');
    await sim.addPort({ netdev: 'ens3', parentBdf: '0000:00:03.0', switchId: null, physPortName: null });
    await expect(counter.set('ens3', 1)).rejects.toBeInstanceOf(NotSriovPfError);
    await expect(counter.set('nosuch', 1)).rejects.toMatchObject({ name: 'NotSriovPfError', pf: 'nosuch' });
    expect(sim.writes).toEqual([]);
  });
});
