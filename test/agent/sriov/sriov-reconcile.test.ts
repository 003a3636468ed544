// Reconciling desired SR-IOV state against the simulated sysfs and the SIMULATED ip/devlink: the
// vendor order for an eswitch mode change (VFs to 0, mode, VFs), VF counts through 0, per-VF
// settings in legacy mode, the VF MAC through devlink in switchdev mode, nothing written when all
// is as desired, bad input refused before anything is touched, and a full reconcile after a
// restart from the agent's persisted store (a real LMDB file).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidSriovConfigError } from '../../../agent/src/sriov/nic-errors.js';
import { SriovController, SriovReconcileError } from '../../../agent/src/sriov/sriov-controller.js';
import type { SriovTools } from '../../../agent/src/sriov/tool-runner.js';
import { AgentStore } from '../../../agent/src/state/agent-store.js';
import type { SriovDesired__Output, SriovPfConfig__Output } from '../../../proto/generated/index.js';
import { SriovSysfsSimulation } from '../../harness/sriov-sim.js';
import { callLog, setDeviceFacts, simulatedTools } from '../../harness/sriov-sim-nic.js';

const log = pino({ level: 'silent' });
let sim: SriovSysfsSimulation;
let tools: SriovTools;
let dir: string;
let store: AgentStore;

beforeEach(async () => {
  sim = await SriovSysfsSimulation.create();
  tools = await simulatedTools(sim, { withoutNvConfig: true });
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-sriov-store-'));
  store = AgentStore.open(dir);
  await sim.addPf({
    netdev: 'eth0',
    bdf: '0000:03:00.0',
    totalVfs: 8,
    enableLimit: 8,
    vfNetdevs: { mode: 'delayed', delayMs: 30 },
    switchdev: { switchId: 'c0de', uplinkPortName: 'p0' },
    eswitchMode: 'legacy',
  });
  await setDeviceFacts(sim, '0000:03:00.0', { vendorId: '0x15b3', deviceId: '0x101d', firmware: '22.39.1002' });
});
afterEach(async () => {
  await store.close();
  expect(sim.failures).toEqual([]);
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const controller = (s: AgentStore = store): SriovController =>
  new SriovController(s, { sysfsRoot: sim.root, tools, writer: sim.writer, arch: 'x64', vfWaitTimeoutMs: 20_000 }, log);
const pf = (p: Partial<SriovPfConfig__Output>): SriovPfConfig__Output => ({
  pf: 'eth0',
  numVfs: 0,
  eswitchMode: '',
  autoprobe: '',
  vfs: [],
  ...p,
});
const desired = (revision: number, ...pfs: SriovPfConfig__Output[]): SriovDesired__Output => ({ revision, pfs });

/** The log as "sysfs sriov_numvfs=N" and "devlink dev eswitch set ... mode M" lines, for order checks. */
async function steps(): Promise<string[]> {
  return (await callLog(sim))
    .filter(
      (c) => (c.kind === 'sysfs' && c.attribute === 'sriov_numvfs') || (c.kind === 'tool' && (c.args as string[]).some((a) => a === 'set')),
    )
    .map((c) =>
      c.kind === 'sysfs' ? `sysfs numvfs=${String(c.value)} ${String(c.outcome)}` : `${String(c.tool)} ${(c.args as string[]).join(' ')}`,
    );
}

describe('SR-IOV reconcile', () => {
  it('changes the eswitch mode in the vendor order (VFs to 0, mode, VFs) and sets the VF MAC through devlink', async () => {
    const c = controller();
    await c.configure(desired(1, pf({ numVfs: 3 })));
    const report = await c.configure(
      desired(2, pf({ numVfs: 3, eswitchMode: 'switchdev', vfs: [{ vf: 1, settings: { mac: '52:54:00:00:00:11' } }] })),
    );
    expect(await steps()).toEqual([
      'sysfs numvfs=3 ok',
      'sysfs numvfs=0 ok',
      'devlink dev eswitch set pci/0000:03:00.0 mode switchdev',
      'sysfs numvfs=3 ok',
      'devlink port function set pci/0000:03:00.0/2 hw_addr 52:54:00:00:00:11',
    ]);
    const eth0 = report.pfs.find((p) => p.netdev === 'eth0')!;
    expect(eth0).toMatchObject({ eswitchMode: 'switchdev', numVfs: 3, totalVfs: 8, model: 'ConnectX-6 Dx', firmware: '22.39.1002' });
    expect(eth0.vfs.map((v) => [v.vf, v.representor, v.mac])).toEqual([
      [0, 'pf0vf0', '00:00:00:00:00:00'],
      [1, 'pf0vf1', '52:54:00:00:00:11'],
      [2, 'pf0vf2', '00:00:00:00:00:00'],
    ]);
    expect(report.representors.map((r) => `${r.netdev}:${r.physPortName}:${r.flavour}`)).toEqual([
      'eth0:p0:physical',
      'pf0vf0:pf0vf0:vf',
      'pf0vf1:pf0vf1:vf',
      'pf0vf2:pf0vf2:vf',
    ]);
    expect(report).toMatchObject({ desiredRevision: 2, lastReconcileError: '' });
    // Reconciling the same state again changes nothing.
    const before = (await steps()).length;
    await c.configure(desired(3, pf({ numVfs: 3, eswitchMode: 'switchdev', vfs: [{ vf: 1, settings: { mac: '52:54:00:00:00:11' } }] })));
    expect(await steps()).toHaveLength(before);
  });

  it('goes through 0 for a new nonzero count and applies legacy VF settings, read back', async () => {
    const c = controller();
    await c.configure(desired(1, pf({ numVfs: 2 })));
    const report = await c.configure(
      desired(
        2,
        pf({
          numVfs: 4,
          autoprobe: 'off',
          vfs: [
            {
              vf: 3,
              settings: {
                mac: '52:54:00:00:00:33',
                vlan: '100',
                qos: '2',
                trust: 'on',
                spoofchk: 'off',
                state: 'disable',
                max_tx_rate: '500',
              },
            },
          ],
        }),
      ),
    );
    expect((await steps()).filter((s) => s.startsWith('sysfs'))).toEqual(['sysfs numvfs=2 ok', 'sysfs numvfs=0 ok', 'sysfs numvfs=4 ok']);
    expect(sim.writes.some((w) => w.attribute === 'sriov_drivers_autoprobe' && w.value === '0')).toBe(true);
    expect(report.pfs[0]!.vfs[3]).toMatchObject({
      mac: '52:54:00:00:00:33',
      vlan: 100,
      qos: 2,
      trust: 'on',
      spoofchk: 'off',
      linkState: 'disable',
      maxTxRate: 500,
      representor: '',
    });
  });

  it('refuses bad input before touching anything, and reports a driver refusal naming the PF', async () => {
    const c = controller();
    await expect(c.configure(desired(1, pf({ numVfs: 2, vfs: [{ vf: 2, settings: { mac: '52:54:00:00:00:01' } }] })))).rejects.toThrow(
      /VF 2 is not below the VF count 2/,
    );
    await expect(
      c.configure(desired(1, pf({ numVfs: 2, eswitchMode: 'switchdev', vfs: [{ vf: 0, settings: { vlan: '5' } }] }))),
    ).rejects.toThrow(/vlan cannot be set in switchdev mode/);
    await expect(c.configure(desired(1, pf({ numVfs: 2, vfs: [{ vf: 0, settings: { vlan: '5000', colour: 'red' } }] })))).rejects.toThrow(
      InvalidSriovConfigError,
    );
    await expect(c.configure(desired(1, pf({ pf: 'eth0', numVfs: 1 }), pf({ pf: 'eth0', numVfs: 2 })))).rejects.toThrow(
      /eth0 appears more than once/,
    );
    expect(sim.writes).toEqual([]);
    expect(store.desiredSriov()).toBeNull();
    // Above totalvfs is refused before writing; the report carries the error.
    const err = await c.configure(desired(4, pf({ numVfs: 9 }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SriovReconcileError);
    expect((err as SriovReconcileError).report.lastReconcileError).toBe('eth0: 9 VFs requested but sriov_totalvfs is 8');
    expect(sim.writes).toEqual([]);
    await setDeviceFacts(sim, '0000:03:00.0', {
      vendorId: '0x15b3',
      deviceId: '0x101d',
      eswitchRefusal: 'Changing eswitch mode is not supported by this firmware',
    });
    await expect(c.configure(desired(5, pf({ numVfs: 0, eswitchMode: 'switchdev' })))).rejects.toThrow(
      'eth0 (pci/0000:03:00.0): the driver refused eswitch mode switchdev: Changing eswitch mode is not supported by this firmware ' +
        '(EOPNOTSUPP)',
    );
  });

  it('after a restart, reconciles the NIC back to the persisted desired state', async () => {
    const wanted = desired(7, pf({ numVfs: 4, eswitchMode: 'switchdev', vfs: [{ vf: 2, settings: { mac: '52:54:00:00:00:22' } }] }));
    await controller().configure(wanted);
    await store.close();
    // The host reboots: the NIC comes back in legacy mode with no VFs.
    await sim.writer.write(path.join(sim.pfDir('eth0'), 'sriov_numvfs'), '0');
    await tools.runner.run(tools.devlink, ['dev', 'eswitch', 'set', 'pci/0000:03:00.0', 'mode', 'legacy'], 30_000);
    store = AgentStore.open(dir);
    expect(store.desiredSriov()).toEqual(wanted);
    const report = await controller(store).start();
    expect(report).toMatchObject({ desiredRevision: 7, lastReconcileError: '' });
    expect(report.pfs[0]).toMatchObject({ eswitchMode: 'switchdev', numVfs: 4 });
    expect(report.pfs[0]!.vfs[2]).toMatchObject({ representor: 'pf0vf2', mac: '52:54:00:00:00:22' });
  });
});
