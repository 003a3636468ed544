// What a networked deploy checks before anything is written or powered, and how the smartNIC
// agent reports ovn-controller: a real coordinator (in-process, real gRPC and TLS) with the fabric
// simulated, one simulated host (ipmi_sim BMC, real OVS, a real agent) whose OVS external_ids are
// set and unset with ovs-vsctl.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { ipmiDriver } from '../../coordinator/src/power/ipmi/ipmi-driver.js';
import { PowerDrivers } from '../../coordinator/src/power/power-driver.js';
import { failure } from '../harness/call-outcome.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { waitFor } from '../harness/ovs.js';
import { SimulatedFabric } from '../harness/simulated-fabric.js';
import { SimulatedHost } from '../harness/simulated-host.js';
import { enlistBehindSmartNic, MachineStatuses } from '../harness/smartnic-machine.js';

const AGENT = 'dpu-pre';
const HOSTNAME = 'pre-node';
let f: CoordinatorFixture;
let fabric: SimulatedFabric;
let host: SimulatedHost;
let env: Record<string, string>;
let alice: CoordinatorClient; // member, owns the machine
let bob: CoordinatorClient; // member, owns network "bobs"

async function ctl(...args: string[]): Promise<string> {
  const r = await moorctl(args, env);
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const ovnLine = async (): Promise<string> => /^ovn +(.*)$/m.exec(await ctl('agent', 'show', AGENT))?.[1] ?? '';

/** Nothing was written or powered: still ALLOCATED, no sequence, no BMC call, no fabric attach. */
async function untouched(): Promise<void> {
  const m = await f.admin.call('MachineService', 'GetMachine', { machine: HOSTNAME });
  expect(m.status).toBe('MACHINE_STATUS_ALLOCATED');
  expect(f.coordinator.sequencer.get(m.id)).toBeUndefined();
  expect(await host.bmc.sets()).toEqual([]);
  expect(fabric.callsOf('attachPort')).toEqual([]);
  expect([...f.coordinator.store.tables.networkAttachments.getRange({})]).toEqual([]);
}

beforeAll(async () => {
  fabric = new SimulatedFabric();
  f = await startCoordinator({
    networkFabric: fabric,
    powerDrivers: new PowerDrivers([ipmiDriver({ logger: createLogger('silent') })]),
    flags: { heartbeatIntervalMs: 1000 },
  });
  const caFile = path.join(f.dataDir, 'client-ca.pem');
  await writeFile(caFile, f.caPem);
  env = { MOORING_COORDINATOR: f.address, MOORING_TOKEN: f.adminToken, MOORING_CA: caFile };
  alice = await f.user('alice', 'member');
  bob = await f.user('bob', 'member');
  await alice.call('NetworkService', 'CreateNetwork', { name: 'alices', cidr: '10.0.7.0/24' });
  await bob.call('NetworkService', 'CreateNetwork', { name: 'bobs' });
  await bob.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'bobs-sg' });
  await alice.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'alices-sg' });
  const { token } = await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: AGENT, role: 'smartnic', ttlSeconds: 3600 });
  host = await SimulatedHost.start({
    agentName: AGENT,
    dir: path.join(f.dataDir, 'host'),
    coordinator: f.address,
    caPem: f.caPem,
    token,
    power: 'on',
  });
  const statuses = new MachineStatuses(() => f);
  await enlistBehindSmartNic(env, statuses, host, { hostname: HOSTNAME, mac: '52:54:00:00:50:01', agentName: AGENT });
  statuses.close();
  await alice.call('MachineService', 'AllocateMachine', { constraints: { name: HOSTNAME } });
  await host.bmc.clearCalls();
}, 90_000);

afterAll(async () => {
  await host?.stop();
  await f?.close();
});

describe('networked deploys: checked up front', () => {
  it('a smartNIC without ovn-controller: agent show says so, and a networked deploy is refused before any power action', async () => {
    await waitFor(async () => (await ovnLine()) === 'not configured', 15_000, 'agent show: ovn not configured');
    expect(await failure(alice.call('DeploymentService', 'DeployMachine', { machine: HOSTNAME, network: 'alices' }))).toEqual({
      code: 'FAILED_PRECONDITION',
      details: `agent ${AGENT}: ovn-controller not configured (no ovn-remote in Open_vSwitch external_ids)`,
    });
    await untouched();
  });

  it('agent show follows Open_vSwitch external_ids as ovs-vsctl changes them', async () => {
    await host.ovs.vsctl('set', 'Open_vSwitch', '.', 'external_ids:ovn-remote="tcp:192.0.2.10:6642"', 'external_ids:system-id=chassis-pre');
    await waitFor(
      async () => (await ovnLine()) === 'chassis chassis-pre, remote tcp:192.0.2.10:6642',
      15_000,
      'agent show: ovn configured',
    );
    const info = await f.admin.call('AgentAdminService', 'GetAgent', { name: AGENT });
    expect(info).toMatchObject({
      ovnReported: true,
      ovnRemote: 'tcp:192.0.2.10:6642',
      ovnChassis: 'chassis-pre',
      report: { ovnRemote: 'tcp:192.0.2.10:6642', ovnChassis: 'chassis-pre' },
    });
    // Stored, not only live: the coordinator's record holds it for when the agent is away.
    expect(f.coordinator.agents.get(AGENT)?.ovn).toEqual({ remote: 'tcp:192.0.2.10:6642', chassis: 'chassis-pre' });
    await host.ovs.vsctl('remove', 'Open_vSwitch', '.', 'external_ids', 'ovn-remote');
    await waitFor(async () => (await ovnLine()) === 'not configured', 15_000, 'agent show: ovn not configured again');
    await host.ovs.vsctl('set', 'Open_vSwitch', '.', 'external_ids:ovn-remote="tcp:192.0.2.10:6642"');
    await waitFor(
      () => Promise.resolve(f.coordinator.agents.get(AGENT)?.ovn?.remote === 'tcp:192.0.2.10:6642'),
      15_000,
      'ovn configured again',
    );
  });

  it('unknown or invisible networks and groups: NOT_FOUND, nothing written', async () => {
    const deploy = (network: string, securityGroups: string[] = []) =>
      failure(alice.call('DeploymentService', 'DeployMachine', { machine: HOSTNAME, network, securityGroups }));
    expect(await deploy('nope')).toEqual({ code: 'NOT_FOUND', details: 'network nope not found' });
    // Bob's network exists, but alice may not see it: answered exactly as a missing one.
    expect(await deploy('bobs')).toEqual({ code: 'NOT_FOUND', details: 'network bobs not found' });
    expect(await deploy('alices', ['bobs-sg'])).toEqual({ code: 'NOT_FOUND', details: 'security group bobs-sg not found' });
    expect(await deploy('alices', ['alices-sg', 'ghost'])).toEqual({ code: 'NOT_FOUND', details: 'security group ghost not found' });
    expect(await failure(alice.call('DeploymentService', 'DeployMachine', { machine: HOSTNAME, securityGroups: ['alices-sg'] }))).toEqual({
      code: 'INVALID_ARGUMENT',
      details: 'security_groups: needs a network',
    });
    const bind = await moorctl(['machine', 'bind-network', HOSTNAME, '--network', 'nope'], env);
    expect(bind.code).not.toBe(0);
    expect(bind.stderr).toMatch(/network nope not found/);
    await untouched();
  });
});
