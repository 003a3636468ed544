// SR-IOV through the agent's command executor, with real OVS (ovsdb-server + ovs-vswitchd on the
// dummy datapath) and a real LMDB store: a smartNIC port named by its host-side VF ("pf0vf3") is
// bound on br-int as that VF's representor; on a BlueField's Arm side in DPU mode the reference
// means the external controller's VF (c1pf0vf3), not the Arm's own pf0vf3. No netdevs exist here,
// so the representor's name goes on the dummy datapath as an OVS port, and the test checks the
// name that was bound. SR-IOV commands (kinds 5 and 6) answer with the report, or with a stable code.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandExecutor, type OvsAccess } from '../../../agent/src/commands/command-executor.js';
import { OvsdbClient } from '../../../proto/ovsdb/client.js';
import { PortBinder } from '../../../agent/src/ovs/port-binder.js';
import { representorPortResolver } from '../../../agent/src/sriov/port-reference.js';
import { SriovController } from '../../../agent/src/sriov/sriov-controller.js';
import { AgentStore } from '../../../agent/src/state/agent-store.js';
import type { AgentCommand__Output } from '../../../proto/generated/index.js';
import { OvsInstance } from '../../harness/ovs.js';
import { SriovSysfsSimulation } from '../../harness/sriov-sim.js';
import { ARM_PF_BDF, BF_SWITCH, BLUEFIELD3, nvConfigFor, setDeviceFacts, simulatedTools } from '../../harness/sriov-sim-nic.js';

const log = pino({ level: 'silent' });
let ovs: OvsInstance;
let client: OvsdbClient;
let binder: PortBinder;
let sim: SriovSysfsSimulation;
let dir: string;
let store: AgentStore;
let executor: CommandExecutor;
const access: OvsAccess = { binder: () => Promise.resolve(binder) };

beforeAll(async () => {
  ovs = await OvsInstance.start({ bridge: 'br-int' });
  client = await OvsdbClient.connect({ remote: ovs.unixRemote });
  binder = await PortBinder.create(client, { bridge: 'br-int', applyTimeoutMs: 10_000 });
  sim = await SriovSysfsSimulation.create();
  // A BlueField's Arm side in DPU mode. The Arm's own (ECPF) VFs have local representors
  // pf0vf0..3; udev named the host's VF representors p0r0..3 (systemd's <pf>r<N>), ports c1pf0vfN.
  await sim.addPf({
    netdev: 'p0',
    bdf: ARM_PF_BDF,
    totalVfs: 8,
    vfNetdevs: { mode: 'never' },
    switchdev: { switchId: BF_SWITCH, uplinkPortName: 'p0' },
  });
  await sim.addPort({ netdev: 'pf0hpf', parentBdf: ARM_PF_BDF, switchId: BF_SWITCH, physPortName: 'c1pf0' });
  for (let n = 0; n < 4; n++)
    await sim.addPort({ netdev: `p0r${n}`, parentBdf: ARM_PF_BDF, switchId: BF_SWITCH, physPortName: `c1pf0vf${n}` });
  await setDeviceFacts(sim, ARM_PF_BDF, { ...BLUEFIELD3, nvConfig: nvConfigFor('dpu') });
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-sriov-cmd-'));
  store = AgentStore.open(dir);
  const tools = await simulatedTools(sim);
  const sriov = new SriovController(store, { sysfsRoot: sim.root, tools, writer: sim.writer, arch: 'arm64', vfWaitTimeoutMs: 20_000 }, log);
  executor = new CommandExecutor(store, access, 10_000, log, undefined, { sriov, resolvePort: representorPortResolver(sim.root) });
});

afterAll(async () => {
  client?.close();
  await store?.close();
  await ovs?.stop();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

const bind = (id: string, name: string): AgentCommand__Output => ({
  id,
  kind: 'bindPort',
  bindPort: { port: { name, ifaceId: `iface-${name}`, mac: '52:54:00:00:00:03', vmUuid: 'machine-3' } },
});

describe('SR-IOV commands and VF-named smartNIC ports', () => {
  it('configures VFs (kind 5) and answers with the report: the Arm-side DPU layout, mode and evidence', async () => {
    const r = await executor.execute({
      id: 's1',
      kind: 'sriovConfigure',
      sriovConfigure: { desired: { revision: 1, pfs: [{ pf: 'p0', numVfs: 4, eswitchMode: 'switchdev', autoprobe: 'off', vfs: [] }] } },
    });
    expect(r).toMatchObject({ ok: true, errorCode: '' });
    const report = r.sriov!.report!;
    expect(report.smartNic).toMatchObject({ location: 'smartnic-os', mode: 'dpu', source: 'nvconfig', model: 'BlueField-3' });
    expect(report.pfs[0]!.vfs.map((v) => v.representor)).toEqual(['pf0vf0', 'pf0vf1', 'pf0vf2', 'pf0vf3']);
    expect(report.representors.filter((x) => x.physPortName.startsWith('c1')).map((x) => x.netdev)).toEqual([
      'p0r0',
      'p0r1',
      'p0r2',
      'p0r3',
      'pf0hpf',
    ]);
    const refresh = await executor.execute({ id: 's2', kind: 'sriovRefresh', sriovRefresh: {} });
    expect(refresh.sriov!.report!.desiredRevision).toBe(1);
  });

  it('binds the port "pf0vf3" as the host VF 3 representor (c1pf0vf3 = p0r3), not the Arm\'s own pf0vf3', async () => {
    const r = await executor.execute(bind('b1', 'pf0vf3'));
    expect(r).toMatchObject({ ok: true });
    expect(r.ports[0]).toMatchObject({ spec: { name: 'p0r3', ifaceId: 'iface-pf0vf3' }, state: 'active' });
    expect(await ovs.vsctl('list-ports', 'br-int')).toBe('p0r3');
    expect(await ovs.vsctl('get', 'Interface', 'p0r3', 'external_ids:iface-id')).toBe('iface-pf0vf3');
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['p0r3']);
    // pf0hpf names the host PF's representor; c1pf0vf1 is explicit.
    expect((await executor.execute(bind('b2', 'c1pf0vf1'))).ports[0]!.spec!.name).toBe('p0r1');
    expect((await executor.execute(bind('b3', 'pf0hpf'))).ports[0]!.spec!.name).toBe('pf0hpf');
    expect((await ovs.vsctl('list-ports', 'br-int')).split('\n')).toEqual(['p0r1', 'p0r3', 'pf0hpf']);
    // Unbinding by the same reference removes the representor's port.
    expect(await executor.execute({ id: 'u1', kind: 'unbindPort', unbindPort: { name: 'pf0vf3' } })).toMatchObject({ ok: true });
    expect((await ovs.vsctl('list-ports', 'br-int')).split('\n')).toEqual(['p0r1', 'pf0hpf']);
  });

  it('answers stable codes: a VF with no representor, and invalid SR-IOV configuration', async () => {
    const missing = await executor.execute(bind('b9', 'pf0vf9'));
    expect(missing).toMatchObject({ ok: false, errorCode: 'REPRESENTOR_NOT_FOUND' });
    expect(missing.error).toMatch(/no representor for pf0vf9/);
    const bad = await executor.execute({
      id: 's9',
      kind: 'sriovConfigure',
      sriovConfigure: { desired: { revision: 2, pfs: [{ pf: 'p0', numVfs: 2, eswitchMode: 'bridge', autoprobe: '', vfs: [] }] } },
    });
    expect(bad).toMatchObject({ ok: false, errorCode: 'INVALID_SRIOV_CONFIG' });
    expect(bad.error).toBe('invalid SR-IOV configuration: pfs[0].eswitchMode "bridge" is not legacy or switchdev');
    const above = await executor.execute({
      id: 's10',
      kind: 'sriovConfigure',
      sriovConfigure: { desired: { revision: 3, pfs: [{ pf: 'p0', numVfs: 64, eswitchMode: '', autoprobe: '', vfs: [] }] } },
    });
    expect(above).toMatchObject({ ok: false, errorCode: 'VF_COUNT_ABOVE_TOTAL' });
    expect(above.sriov!.report!.lastReconcileError).toBe('p0: 64 VFs requested but sriov_totalvfs is 8');
  });
});
