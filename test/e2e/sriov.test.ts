// SR-IOV end to end: a real coordinator (gRPC over TLS, LMDB), moorctl as a process (npm run build
// first), and an agent daemon in this process against real OVS, with the simulated sysfs of a
// BlueField's Arm side and the SIMULATED ip/devlink/mlxconfig (no SR-IOV hardware runs here; the
// agent runs in-process only so the simulated kernel's sysfs write rules apply to its writes).
// `moorctl agent sriov set` stores the desired state and the agent applies it; `agent show`, the
// status endpoint and the port view show mode, PFs, VFs and representors; after an agent restart
// on a NIC that came back blank, the desired state is reconciled again.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../agent/src/agent.js';
import { loadAgentConfig } from '../../agent/src/config/agent-config.js';
import type { SriovTools } from '../../agent/src/sriov/tool-runner.js';
import type { SriovReport__Output } from '../../proto/generated/index.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { OvsInstance, waitFor } from '../harness/ovs.js';
import { SriovSysfsSimulation } from '../harness/sriov-sim.js';
import { ARM_PF_BDF, BF_SWITCH, BLUEFIELD3, nvConfigFor, setDeviceFacts, simulatedTools } from '../harness/sriov-sim-nic.js';

let dir: string;
let f: CoordinatorFixture;
let ovs: OvsInstance;
let sim: SriovSysfsSimulation;
let tools: SriovTools;
let agent: Agent | undefined;
let env: Record<string, string>;
let caFile: string;

async function ctl(...args: string[]): Promise<string> {
  const r = await moorctl(args, env);
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function startAgent(token?: string): Promise<Agent> {
  const config = await loadAgentConfig({
    flags: {
      coordinator: f.address,
      caFile,
      name: 'dpu1',
      dataDir: path.join(dir, 'agent'),
      ovsdbRemote: ovs.unixRemote,
      datapathType: 'netdev',
      statusListen: '127.0.0.1:0',
      heartbeatInterval: '1s',
      reconnectMax: '1s',
      sysfsRoot: sim.root,
      ipProgram: tools.ip,
      devlinkProgram: tools.devlink,
      nvConfigProgram: tools.nvConfig!,
    },
    env: token ? { MOORING_AGENT_TOKEN: token } : {},
  });
  return Agent.start(config, pino({ level: 'silent' }), { sysfsWriter: sim.writer, arch: 'arm64' });
}

const sriovShow = async (): Promise<{ desired: { revision: number } | null; report: SriovReport__Output | null }> =>
  JSON.parse(await ctl('--json', 'agent', 'sriov', 'show', 'dpu1')) as never;
/** What the agent last reported, read in-process for the waits (a look through moorctl is a Node process). */
const sriovReport = async (): Promise<SriovReport__Output | null> =>
  (await f.admin.call('AgentAdminService', 'GetSriov', { agent: 'dpu1' })).report;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-sriov-e2e-'));
  sim = await SriovSysfsSimulation.create();
  // The Arm side of a BlueField-3 in DPU mode; p0's eswitch starts in legacy mode.
  await sim.addPf({
    netdev: 'p0',
    bdf: ARM_PF_BDF,
    totalVfs: 8,
    vfNetdevs: { mode: 'delayed', delayMs: 20 },
    switchdev: { switchId: BF_SWITCH, uplinkPortName: 'p0' },
    eswitchMode: 'legacy',
  });
  await sim.addPort({ netdev: 'pf0hpf', parentBdf: ARM_PF_BDF, switchId: BF_SWITCH, physPortName: 'c1pf0' });
  for (let n = 0; n < 4; n++)
    await sim.addPort({ netdev: `p0r${n}`, parentBdf: ARM_PF_BDF, switchId: BF_SWITCH, physPortName: `c1pf0vf${n}` });
  await setDeviceFacts(sim, ARM_PF_BDF, { ...BLUEFIELD3, nvConfig: nvConfigFor('dpu') });
  tools = await simulatedTools(sim);
  ovs = await OvsInstance.start();
  f = await startCoordinator();
  caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, f.caPem);
  env = { MOORING_COORDINATOR: f.address, MOORING_TOKEN: f.adminToken, MOORING_CA: caFile };
});

afterAll(async () => {
  await agent?.close();
  await f?.close();
  await ovs?.stop();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SR-IOV through the coordinator', () => {
  it('applies `moorctl agent sriov set` on the agent and shows mode, PFs, VFs and representors', async () => {
    const { token } = await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: 'dpu1', role: 'smartnic', ttlSeconds: 600 });
    agent = await startAgent(token);
    await waitFor(
      async () => (await f.admin.call('AgentAdminService', 'GetAgent', { name: 'dpu1' }).catch(() => null))?.state === 'ONLINE',
      30_000,
      'dpu1 ONLINE',
    );

    const bad = await moorctl(['agent', 'sriov', 'set', 'dpu1', '--pf', 'p0', '--vfs', '2', '--vf', '5:mac=52:54:00:00:00:05'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/VF 5 is not below the VF count 2/);
    const badMac = await moorctl(['agent', 'sriov', 'set', 'dpu1', '--pf', 'p0', '--vfs', '2', '--vf', '1:mac=zz'], env);
    expect(badMac.stderr).toMatch(/mac "zz" is not a MAC address/);

    const set = JSON.parse(
      await ctl(
        '--json',
        'agent',
        'sriov',
        'set',
        'dpu1',
        '--pf',
        'p0',
        '--vfs',
        '2',
        '--mode',
        'switchdev',
        '--vf',
        '1:mac=52:54:00:00:00:11',
        '--wait',
        '60s',
      ),
    ) as {
      desired: { revision: number };
      report: SriovReport__Output;
    };
    expect(set.desired.revision).toBe(1);
    expect(set.report.pfs[0]).toMatchObject({
      netdev: 'p0',
      eswitchMode: 'switchdev',
      numVfs: 2,
      totalVfs: 8,
      model: 'BlueField-3',
      firmware: '32.41.1000',
    });
    expect(set.report.pfs[0]!.vfs.map((v) => [v.representor, v.mac])).toEqual([
      ['pf0vf0', '00:00:00:00:00:00'],
      ['pf0vf1', '52:54:00:00:00:11'],
    ]);

    const shown = await ctl('agent', 'show', 'dpu1');
    expect(shown).toMatch(/smartNIC mode {2}dpu \(on the smartNIC's own OS; from nvconfig\); NVIDIA BlueField-3 firmware 32\.41\.1000/);
    expect(shown).toMatch(/p0 +0000:03:00\.0 +mlx5_core +0 +switchdev +2\/8/);
    expect(shown).toMatch(/p0r3 +c1pf0vf3 +vf/);
    const status = (await (await fetch(`${agent.status.url}/status`)).json()) as { sriov: SriovReport__Output };
    expect(status.sriov.smartNic).toMatchObject({ location: 'smartnic-os', mode: 'dpu' });
    expect(status.sriov.desiredRevision).toBe(1);
  });

  it("refuses a VF count above the PF's sriov_totalvfs up front, naming the limit, and stores nothing", async () => {
    // p0 reports totalVfs 8 (the simulated BlueField's sriov_totalvfs).
    const above = { pf: 'p0', numVfs: 9, eswitchMode: 'switchdev', autoprobe: '', vfs: [] };
    await expect(f.admin.call('AgentAdminService', 'SetSriov', { agent: 'dpu1', pf: above, timeoutSeconds: 60 })).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: 'pf.num_vfs: 9 VFs requested, but PF p0 of agent dpu1 supports at most 8 (its sriov_totalvfs, as the agent last reported)',
    });
    const r = await moorctl(['agent', 'sriov', 'set', 'dpu1', '--pf', 'p0', '--vfs', '9', '--mode', 'switchdev', '--wait', '60s'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/PF p0 of agent dpu1 supports at most 8/);
    expect((await sriovShow()).desired?.revision).toBe(1);
    expect((await sriovShow()).report?.pfs[0]).toMatchObject({ numVfs: 2, totalVfs: 8 });
  });

  it('shows, in the machine view, the smartNIC mode and the representor a VF-named port maps to', async () => {
    await f.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'host-1',
      arch: 'amd64',
      cores: 8,
      memoryMib: 8192,
      power: { driver: 'POWER_DRIVER_MANUAL' },
      ports: [{ mac: '52:54:00:00:10:01', isSmartNic: true, smartNicAgentId: 'dpu1', smartNicPortId: 'pf0vf3' }],
    });
    const { ports } = await f.admin.call('PortService', 'ListPorts', { machine: 'host-1' });
    expect(ports[0]).toMatchObject({ smartNicMode: 'dpu (smartnic-os)', mapsTo: 'representor p0r3 (c1pf0vf3)' });
  });

  it('reconciles the stored state again after an agent restart on a NIC that came back blank', async () => {
    await agent!.close();
    agent = undefined;
    await sim.writer.write(path.join(sim.pfDir('p0'), 'sriov_numvfs'), '0');
    await tools.runner.run(tools.devlink, ['dev', 'eswitch', 'set', `pci/${ARM_PF_BDF}`, 'mode', 'legacy'], 30_000);
    expect(await sim.eswitchMode('p0')).toBe('legacy');
    const restartedAt = new Date().toISOString();
    agent = await startAgent();
    await waitFor(
      async () => {
        const r = await sriovReport();
        return (
          r !== null &&
          r.lastReconcileAt > restartedAt &&
          r.pfs[0]?.eswitchMode === 'switchdev' &&
          r.pfs[0].numVfs === 2 &&
          r.pfs[0].vfs[1]?.mac === '52:54:00:00:00:11' &&
          r.lastReconcileError === ''
        );
      },
      60_000,
      'dpu1 to report p0 in switchdev mode with 2 VFs again',
    );
    expect(await sim.eswitchMode('p0')).toBe('switchdev');
    expect((await sriovShow()).desired?.revision).toBe(1);
  });

  it('stores a change made while the agent is away and sends it when the agent opens its next session', async () => {
    await agent!.close();
    agent = undefined;
    await waitFor(
      async () => (await f.admin.call('AgentAdminService', 'GetAgent', { name: 'dpu1' })).state === 'OFFLINE',
      30_000,
      'dpu1 OFFLINE',
    );
    const away = await moorctl(['agent', 'sriov', 'set', 'dpu1', '--pf', 'p0', '--vfs', '3', '--mode', 'switchdev', '--wait', '1s'], env);
    expect(away.code).not.toBe(0);
    expect(away.stderr).toMatch(/agent dpu1 is OFFLINE: SR-IOV revision 2 .* was not delivered within 1000 ms/);
    expect((await sriovShow()).desired?.revision).toBe(2);
    agent = await startAgent();
    await waitFor(async () => (await sriovReport())?.desiredRevision === 2, 60_000, 'dpu1 to apply revision 2');
    const r = (await sriovShow()).report!;
    expect(r).toMatchObject({ lastReconcileError: '' });
    expect(r.pfs[0]).toMatchObject({ eswitchMode: 'switchdev', numVfs: 3 });
  });
});
