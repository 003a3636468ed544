// A coordinator stopped between the attach step's stored attachment and its fabric call, then
// started again on the same data dir with the same (simulated) northbound: the deploy resumes and
// finishes with exactly one LSP for the port, the one named before the stop.
//
// A fixture-level restart rather than kill -9 of a coordinator process: the simulated fabric lives
// in the test process, so it outlives an in-process coordinator but could not be shared with a
// child process. The attach call is held (never answered) and the coordinator closed under it,
// which leaves the store exactly as a kill at that point would. The kill -9 variant belongs to the
// real-OVN tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import type { NetworkAttachment } from '../../coordinator/src/networks/network-records.js';
import { ipmiDriver } from '../../coordinator/src/power/ipmi/ipmi-driver.js';
import { PowerDrivers } from '../../coordinator/src/power/power-driver.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { waitFor } from '../harness/ovs.js';
import { SimulatedFabric } from '../harness/simulated-fabric.js';
import { SimulatedHost } from '../harness/simulated-host.js';
import { SimulatedOvnController } from '../harness/simulated-ovn-controller.js';

const AGENT = 'dpu-restart';
const HOSTNAME = 'restart-node';
let dataDir: string;
let f: CoordinatorFixture;
let fabric: SimulatedFabric;
let host: SimulatedHost;
let controller: SimulatedOvnController;

const start = (port = 0): Promise<CoordinatorFixture> =>
  startCoordinator({
    dataDir,
    networkFabric: fabric,
    powerDrivers: new PowerDrivers([ipmiDriver({ logger: createLogger('silent') })]),
    flags: { listen: `127.0.0.1:${port}`, heartbeatIntervalMs: 1000, agentSessionTimeoutMs: 20_000, portActiveTimeoutMs: 10_000 },
  });

const attachments = (): NetworkAttachment[] =>
  [...f.coordinator.store.tables.networkAttachments.getRange({})].map(({ value }) => value as NetworkAttachment);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mooring-attach-restart-'));
  fabric = new SimulatedFabric();
  f = await start();
  await f.admin.call('NetworkService', 'CreateNetwork', { name: 'blue', cidr: '10.0.8.0/24' });
  const { token } = await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: AGENT, role: 'smartnic', ttlSeconds: 3600 });
  host = await SimulatedHost.start({
    agentName: AGENT,
    dir: path.join(dataDir, 'host'),
    coordinator: f.address,
    caPem: f.caPem,
    token,
    power: 'on',
    ovn: { remote: 'tcp:127.0.0.1:6642', chassis: 'chassis-r' },
  });
  controller = await SimulatedOvnController.start(host.ovs, fabric);
  await f.admin.call('MachineService', 'EnlistMachine', {
    hostname: HOSTNAME,
    arch: 'amd64',
    cores: 4,
    memoryMib: 8192,
    power: { driver: 'POWER_DRIVER_IPMI', address: host.bmc.address, user: host.bmc.user, password: host.bmc.password },
    ports: [{ mac: '52:54:00:00:60:01', isSmartNic: true, smartNicAgentId: AGENT, smartNicPortId: 'pf0vf0' }],
    commission: true,
  });
  await waitFor(
    async () => (await f.admin.call('MachineService', 'GetMachine', { machine: HOSTNAME })).status === 'MACHINE_STATUS_READY',
    30_000,
    'READY',
  );
  await f.admin.call('MachineService', 'AllocateMachine', { constraints: { name: HOSTNAME } });
  await waitFor(
    () => Promise.resolve(f.coordinator.agents.get(AGENT)?.ovn?.remote === 'tcp:127.0.0.1:6642'),
    15_000,
    'the agent reported ovn-controller',
  );
}, 90_000);

afterAll(async () => {
  controller?.stop();
  await host?.stop();
  await f?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('coordinator stopped inside the attach step', () => {
  it('resumes with the stored LSP name: exactly one LSP for the port, deployed', { timeout: 60_000 }, async () => {
    fabric.holdNext('attachPort');
    await f.admin.call('DeploymentService', 'DeployMachine', { machine: HOSTNAME, network: 'blue' });
    await waitFor(() => Promise.resolve(fabric.callsOf('attachPort').length === 1), 15_000, 'the attach call');
    const [stored, ...more] = attachments();
    expect(more).toEqual([]);
    expect(fabric.ports.size).toBe(0); // the held call changed nothing
    expect(f.coordinator.sequencer.get(stored!.machineId)).toMatchObject({ step: 'attach', attached: [stored!.lspName] });

    const port = f.coordinator.port;
    await f.close();
    f = await start(port);
    await waitFor(
      async () => (await f.admin.call('MachineService', 'GetMachine', { machine: HOSTNAME })).status === 'MACHINE_STATUS_DEPLOYED',
      40_000,
      'DEPLOYED after the restart',
    );

    expect(attachments()).toEqual([stored]);
    expect([...fabric.ports.keys()]).toEqual([stored!.lspName]);
    expect(new Set(fabric.callsOf('attachPort').map((c) => (c.args[0] as { lspName: string }).lspName))).toEqual(
      new Set([stored!.lspName]),
    );
    expect(controller.claimed.get(stored!.lspName)).toBe('chassis-r');
    expect((await host.ovs.vsctl('get', 'Interface', 'pf0vf0', 'external_ids:iface-id')).replace(/"/g, '')).toBe(stored!.lspName);
  });
});
