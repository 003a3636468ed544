// AgentAdminService.SetSriov/GetSriov against a real coordinator (gRPC over TLS, LMDB): requests
// the agent would refuse are refused here first, naming the field, and nothing is stored; only
// admins set; unknown agents are NOT_FOUND. The port view's mapping of a port id to the smartNIC's
// mode and representor, from an agent's report.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sriovPortView } from '../../coordinator/src/agents/sriov-port-view.js';
import type { Machine, Port } from '../../coordinator/src/machines/machine.js';
import type { SriovPfConfig__Output, SriovReport__Output } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

let f: CoordinatorFixture;
beforeAll(async () => {
  f = await startCoordinator();
  await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: 'dpu9', role: 'smartnic', ttlSeconds: 600 });
});
afterAll(async () => f.close());

const pf = (p: Partial<SriovPfConfig__Output>): SriovPfConfig__Output => ({
  pf: 'p0',
  numVfs: 2,
  eswitchMode: '',
  autoprobe: '',
  vfs: [],
  ...p,
});

describe('SetSriov validation and access', () => {
  it('refuses what the agent would refuse, naming the field, and stores nothing', async () => {
    const set = (p: SriovPfConfig__Output) => f.admin.call('AgentAdminService', 'SetSriov', { agent: 'dpu9', pf: p, timeoutSeconds: 1 });
    const invalid = (details: RegExp) => ({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(details) as unknown });
    await expect(set(pf({ vfs: [{ vf: 0, settings: { vlan: '4096' } }] }))).rejects.toMatchObject(
      invalid(/vlan 4096 is not a VLAN id from 0 to 4095/),
    );
    await expect(set(pf({ eswitchMode: 'switchdev', vfs: [{ vf: 1, settings: { trust: 'on' } }] }))).rejects.toMatchObject(
      invalid(/trust cannot be set in switchdev mode/),
    );
    await expect(set(pf({ vfs: [{ vf: 2, settings: {} }] }))).rejects.toMatchObject(invalid(/VF 2 is not below the VF count 2/));
    await expect(set(pf({ pf: 'has space' }))).rejects.toMatchObject(invalid(/must be a netdev name/));
    await expect(set(pf({ vfs: [{ vf: 0, settings: { speed: 'fast' } }] }))).rejects.toMatchObject(invalid(/unknown setting "speed"/));
    expect(f.coordinator.sriov.desired('dpu9')).toBeNull();
  });

  it('lets only admins set, and answers NOT_FOUND for an agent that does not exist', async () => {
    const observer = await f.user('olive', 'observer');
    await expect(observer.call('AgentAdminService', 'SetSriov', { agent: 'dpu9', pf: pf({}), timeoutSeconds: 1 })).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
    await expect(f.admin.call('AgentAdminService', 'SetSriov', { agent: 'nobody', pf: pf({}), timeoutSeconds: 1 })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    await expect(f.admin.call('AgentAdminService', 'GetSriov', { agent: 'nobody' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});

describe('the port view', () => {
  const report = (reps: [string, string][], mode = 'dpu', location = 'smartnic-os'): SriovReport__Output => ({
    smartNic: { location, mode, nextBootMode: '', source: 'nvconfig', vendor: 'NVIDIA', model: 'BlueField-3', firmware: '', evidence: [] },
    pfs: [],
    representors: reps.map(([netdev, physPortName]) => ({ netdev, physPortName, switchId: 'aa', flavour: 'vf' })),
    desiredRevision: 0,
    lastReconcileAt: '',
    lastReconcileError: '',
    problems: [],
  });
  const port = (id: string): Port => ({ mac: '52:54:00:00:00:01', isSmartNic: true, smartNicAgentId: 'dpu9', smartNicPortId: id }) as Port;
  const machine = {} as Machine;

  it('maps a VF reference to the host VF representor on a DPU, a netdev to itself, and says when none fits', () => {
    const dpu = sriovPortView(() =>
      report([
        ['pf0vf3', 'pf0vf3'],
        ['p0r3', 'c1pf0vf3'],
        ['pf0hpf', 'c1pf0'],
      ]),
    );
    expect(dpu(machine, port('pf0vf3'))).toEqual({ smartNicMode: 'dpu (smartnic-os)', mapsTo: 'representor p0r3 (c1pf0vf3)' });
    expect(dpu(machine, port('pf0hpf'))).toEqual({ smartNicMode: 'dpu (smartnic-os)', mapsTo: 'representor pf0hpf (c1pf0)' });
    expect(dpu(machine, port('pf0vf7'))).toEqual({ smartNicMode: 'dpu (smartnic-os)', mapsTo: 'no representor for pf0vf7' });
    const host = sriovPortView(() => report([['ens1f0r2', 'pf0vf2']], 'nic', 'host'));
    expect(host(machine, port('pf0vf2'))).toEqual({ smartNicMode: 'nic (host)', mapsTo: 'representor ens1f0r2 (pf0vf2)' });
    expect(sriovPortView(() => null)(machine, port('pf0vf2'))).toEqual({ smartNicMode: '', mapsTo: '' });
  });
});
