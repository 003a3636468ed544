// mooring.v1.PortService over real gRPC and TLS against a real coordinator: the role matrix,
// INVALID_ARGUMENT naming the field for every port rule (EnlistMachine included), the status rule
// after a real allocation, update masks, and the events each change records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorClient, RequestOf } from '../../coordinator/src/client/coordinator-client.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { failure, invalid } from '../harness/call-outcome.js';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0Hq0mO1KgXlrtm0oJRGn4AaDbg4r0iNvbP7bJh3j9Q dpu@rack1';

type CreatePort = RequestOf<'PortService', 'CreatePort'>;
type UpdatePort = RequestOf<'PortService', 'UpdatePort'>;

describe('PortService', () => {
  let f: CoordinatorFixture;
  let member: CoordinatorClient;
  let observer: CoordinatorClient;
  let outsider: CoordinatorClient;
  /** A real PEM certificate: the coordinator's own CA. */
  let caPem: string;

  beforeAll(async () => {
    f = await startCoordinator();
    caPem = f.caPem;
    member = await f.user('mia', 'member');
    observer = await f.user('otto', 'observer');
    outsider = await f.user('nina', 'member');
    // Ports may name only known smartNIC agents: announce these with enrollment tokens.
    await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: 'dpu-a', role: 'smartnic', ttlSeconds: 3600 });
    await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: 'dpu-z', role: 'smartnic', ttlSeconds: 3600 });
  });
  afterAll(async () => f.close());

  const create = (client: CoordinatorClient, request: CreatePort) => client.call('PortService', 'CreatePort', request);
  const update = (client: CoordinatorClient, request: UpdatePort) => client.call('PortService', 'UpdatePort', request);

  it('lets admins create, list, get, update and delete ports, each change an event naming the MAC', async () => {
    const machine = await f.machine('pa-crud');
    const before = (await f.admin.call('EventService', 'ListEvents', { machine: machine.id })).events.length;
    const created = await create(f.admin, {
      machine: 'pa-crud',
      port: {
        mac: '52:54:00:A1:00:01',
        isSmartNic: true,
        smartNicAgentId: 'dpu-a',
        smartNicPortId: 'pf0hpf',
        sshPublicKey: SSH_KEY,
        ovsdbCaCert: caPem,
      },
    });
    expect(created).toEqual({
      machineId: machine.id,
      port: {
        mac: '52:54:00:a1:00:01',
        isSmartNic: true,
        smartNicAgentId: 'dpu-a',
        smartNicPortId: 'pf0hpf',
        sshPublicKey: SSH_KEY,
        ovsdbCaCert: caPem,
      },
      smartNicMode: '',
      mapsTo: '',
    });
    const listed = await f.admin.call('PortService', 'ListPorts', { machine: machine.id });
    expect(listed.ports.map((p) => p.port?.mac)).toEqual([machine.ports[0]!.mac, '52:54:00:a1:00:01']);
    expect(await f.admin.call('PortService', 'GetPort', { machine: 'pa-crud', mac: '52:54:00:a1:00:01' })).toEqual(created);

    const updated = await update(f.admin, {
      machine: 'pa-crud',
      mac: '52:54:00:a1:00:01',
      port: { smartNicPortId: 'pf1hpf' },
      updateMask: ['smart_nic_port_id'],
    });
    expect(updated.port).toEqual({ ...created.port, smartNicPortId: 'pf1hpf' });
    // The machine record carries the same port (what the sequencer and allocation read).
    expect((await f.admin.call('MachineService', 'GetMachine', { machine: 'pa-crud' })).ports[1]).toEqual(updated.port);

    expect(await f.admin.call('PortService', 'DeletePort', { machine: 'pa-crud', mac: '52:54:00:a1:00:01' })).toEqual({});
    expect(await failure(f.admin.call('PortService', 'GetPort', { machine: 'pa-crud', mac: '52:54:00:a1:00:01' }))).toEqual({
      code: 'NOT_FOUND',
      details: `machine ${machine.id} has no port 52:54:00:a1:00:01`,
    });

    const events = (await f.admin.call('EventService', 'ListEvents', { machine: machine.id })).events.slice(before);
    expect(events.map((e) => [e.kind, e.actor, e.why, e.details['mac']])).toEqual([
      ['machine.port-created', 'admin', 'port 52:54:00:a1:00:01', '52:54:00:a1:00:01'],
      ['machine.port-updated', 'admin', 'port 52:54:00:a1:00:01', '52:54:00:a1:00:01'],
      ['machine.port-deleted', 'admin', 'port 52:54:00:a1:00:01', '52:54:00:a1:00:01'],
    ]);
    expect(events[1]!.details).toMatchObject({ changed: 'smart_nic_port_id', portId: 'pf1hpf' });
    expect(JSON.stringify(events)).not.toContain('BEGIN CERTIFICATE');
  });

  it('refuses changes by members and observers, lets them read, and hides invisible machines', async () => {
    const machine = await f.machine('pa-roles');
    const mac = machine.ports[0]!.mac;
    for (const client of [member, observer]) {
      expect((await failure(create(client, { machine: 'pa-roles', port: { mac: '52:54:00:a2:00:01' } }))).code).toBe('PERMISSION_DENIED');
      expect(
        (await failure(update(client, { machine: 'pa-roles', mac, port: { isSmartNic: false }, updateMask: ['is_smart_nic'] }))).code,
      ).toBe('PERMISSION_DENIED');
      expect((await failure(client.call('PortService', 'DeletePort', { machine: 'pa-roles', mac }))).code).toBe('PERMISSION_DENIED');
      expect((await client.call('PortService', 'ListPorts', { machine: 'pa-roles' })).ports).toHaveLength(1);
      expect((await client.call('PortService', 'GetPort', { machine: 'pa-roles', mac })).port?.mac).toBe(mac);
    }
    // Reserved for mia: nina, another member, cannot see the machine at all.
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'pa-roles', holder: { kind: 'user', user: 'mia' } });
    expect(await failure(outsider.call('PortService', 'ListPorts', { machine: 'pa-roles' }))).toEqual({
      code: 'NOT_FOUND',
      details: 'machine pa-roles not found',
    });
    expect((await failure(outsider.call('PortService', 'GetPort', { machine: 'pa-roles', mac }))).code).toBe('NOT_FOUND');
    expect((await member.call('PortService', 'ListPorts', { machine: 'pa-roles' })).ports).toHaveLength(1);
    expect((await observer.call('PortService', 'ListPorts', { machine: 'pa-roles' })).ports).toHaveLength(1);
    expect((await failure(f.admin.call('PortService', 'ListPorts', { machine: 'no-such-machine' }))).code).toBe('NOT_FOUND');
    expect((await f.admin.call('PortService', 'ListPorts', { machine: 'pa-roles' })).ports.map((p) => p.port?.mac)).toEqual([mac]);
  });

  it('refuses every port rule with INVALID_ARGUMENT naming the field, and changes nothing', async () => {
    const machine = await f.machine('pa-rules');
    const port = (over: NonNullable<CreatePort['port']>) =>
      create(f.admin, { machine: 'pa-rules', port: { mac: '52:54:00:a3:00:01', ...over } });
    expect(await invalid(create(f.admin, { machine: 'pa-rules' }))).toBe('port: required');
    expect(await invalid(create(f.admin, { port: { mac: '52:54:00:a3:00:01' } }))).toBe('machine: required');
    expect(await invalid(port({ mac: '52:54:00:a3:00' }))).toBe('port.mac: must be a MAC address like 52:54:00:12:34:56');
    expect(await invalid(port({ isSmartNic: true, smartNicPortId: 'pf0hpf' }))).toBe(
      'port.smart_nic_agent_id: required for a smartNIC port',
    );
    expect(await invalid(port({ isSmartNic: true, smartNicAgentId: 'dpu-a' }))).toBe(
      'port.smart_nic_port_id: required for a smartNIC port',
    );
    expect(await invalid(port({ smartNicAgentId: 'dpu-a', smartNicPortId: 'pf0hpf' }))).toMatch(
      /^port\.is_smart_nic: false, but smart_nic_agent_id and smart_nic_port_id are set/,
    );
    expect(await invalid(port({ sshPublicKey: 'AAAA not a key' }))).toMatch(/^port\.ssh_public_key: /);
    expect(await invalid(port({ ovsdbCaCert: 'not a certificate' }))).toMatch(/^port\.ovsdb_ca_cert: must be a PEM certificate/);
    expect(await invalid(port({ smartNicAgentId: 'x'.repeat(129) }))).toMatch(/^port\.smart_nic_agent_id: /);
    expect(await invalid(f.admin.call('PortService', 'GetPort', { machine: 'pa-rules', mac: 'nope' }))).toMatch(/^mac: /);
    expect(await invalid(f.admin.call('PortService', 'ListPorts', { machine: '' }))).toBe('machine: required');
    const dup = await failure(port({ mac: machine.ports[0]!.mac.toUpperCase() }));
    expect(dup).toEqual({ code: 'ALREADY_EXISTS', details: `port.mac: machine ${machine.id} already has a port ${machine.ports[0]!.mac}` });
    expect((await f.admin.call('PortService', 'ListPorts', { machine: 'pa-rules' })).ports).toHaveLength(1);
  });

  it('EnlistMachine refuses a plain port carrying both ids, and a malformed key or certificate', async () => {
    const enlist = (ports: NonNullable<RequestOf<'MachineService', 'EnlistMachine'>['ports']>) =>
      f.admin.call('MachineService', 'EnlistMachine', {
        hostname: 'pa-enlist',
        arch: 'amd64',
        cores: 2,
        memoryMib: 2048,
        power: { driver: 'POWER_DRIVER_MANUAL' },
        ports,
      });
    expect(
      await invalid(
        enlist([{ mac: '52:54:00:a4:00:01' }, { mac: '52:54:00:a4:00:02', smartNicAgentId: 'dpu-a', smartNicPortId: 'pf0hpf' }]),
      ),
    ).toMatch(/^ports\[1\]\.is_smart_nic: false, but smart_nic_agent_id and smart_nic_port_id are set/);
    expect(await invalid(enlist([{ mac: '52:54:00:a4:00:01', sshPublicKey: 'hello' }]))).toMatch(/^ports\[0\]\.ssh_public_key: /);
    expect(await invalid(enlist([{ mac: '52:54:00:a4:00:01', ovsdbCaCert: 'hello' }]))).toMatch(/^ports\[0\]\.ovsdb_ca_cert: /);
    expect((await failure(f.admin.call('MachineService', 'GetMachine', { machine: 'pa-enlist' }))).code).toBe('NOT_FOUND');
    const ok = await enlist([
      {
        mac: '52:54:00:a4:00:01',
        isSmartNic: true,
        smartNicAgentId: 'dpu-a',
        smartNicPortId: 'pf0hpf',
        sshPublicKey: SSH_KEY,
        ovsdbCaCert: caPem,
      },
    ]);
    expect(ok.ports[0]).toMatchObject({ isSmartNic: true, sshPublicKey: SSH_KEY, ovsdbCaCert: caPem });
  });

  it('changes ports only while NEW, COMMISSIONING or READY: an allocated machine gets FAILED_PRECONDITION naming ALLOCATED', async () => {
    const machine = await f.machine('pa-status', { smartNic: true });
    const mac = machine.ports[0]!.mac;
    await member.call('MachineService', 'AllocateMachine', { constraints: { name: 'pa-status' } });
    const expected = {
      code: 'FAILED_PRECONDITION',
      details: `machine ${machine.id} is ALLOCATED: cannot change ports (only while NEW, COMMISSIONING or READY)`,
    };
    expect(await failure(create(f.admin, { machine: 'pa-status', port: { mac: '52:54:00:a5:00:01' } }))).toEqual(expected);
    expect(
      await failure(update(f.admin, { machine: 'pa-status', mac, port: { smartNicPortId: 'pf1hpf' }, updateMask: ['smart_nic_port_id'] })),
    ).toEqual(expected);
    expect(await failure(f.admin.call('PortService', 'DeletePort', { machine: 'pa-status', mac }))).toEqual(expected);
    // Reads still work, and the port is untouched.
    expect((await member.call('PortService', 'GetPort', { machine: 'pa-status', mac })).port?.smartNicPortId).toBe('pf0hpf');
    // Released back to READY, ports may change again.
    await member.call('MachineService', 'ReleaseMachine', { machine: 'pa-status' });
    const changed = await update(f.admin, {
      machine: 'pa-status',
      mac,
      port: { smartNicPortId: 'pf1hpf' },
      updateMask: ['smart_nic_port_id'],
    });
    expect(changed.port?.smartNicPortId).toBe('pf1hpf');
  });

  it('writes only the fields in update_mask and checks the merged port', async () => {
    const machine = await f.machine('pa-mask', { smartNic: true });
    const mac = machine.ports[0]!.mac;
    const ref = { machine: 'pa-mask', mac };
    // Unmasked fields are ignored, even when set (and even when they would be invalid).
    const masked = await update(f.admin, {
      ...ref,
      port: { mac: 'garbage', smartNicAgentId: 'dpu-z', sshPublicKey: 'junk' },
      updateMask: ['smart_nic_agent_id'],
    });
    expect(masked.port).toMatchObject({ mac, isSmartNic: true, smartNicAgentId: 'dpu-z', smartNicPortId: 'pf0hpf', sshPublicKey: '' });
    expect(await invalid(update(f.admin, { ...ref, port: {}, updateMask: [] }))).toMatch(
      /^update_mask: name the fields to change: mac, is_smart_nic, /,
    );
    expect(await invalid(update(f.admin, { ...ref, port: {}, updateMask: ['is_smart_nic', 'hostname'] }))).toMatch(
      /^update_mask\[1\]: unknown field hostname/,
    );
    expect(await invalid(update(f.admin, { ...ref, updateMask: ['is_smart_nic'] }))).toBe(
      'port: required: the new values of the fields in update_mask',
    );
    expect(await invalid(update(f.admin, { ...ref, port: { mac: 'garbage' }, updateMask: ['mac'] }))).toMatch(/^port\.mac: must be a MAC/);
    expect(await invalid(update(f.admin, { ...ref, port: { sshPublicKey: 'junk' }, updateMask: ['ssh_public_key'] }))).toMatch(
      /^port\.ssh_public_key: /,
    );
    // Flipping to a plain port with the ids still set is refused; clearing them in the same mask is not.
    expect(await invalid(update(f.admin, { ...ref, port: { isSmartNic: false }, updateMask: ['is_smart_nic'] }))).toMatch(
      /^port\.is_smart_nic: /,
    );
    expect(await invalid(update(f.admin, { ...ref, port: {}, updateMask: ['smart_nic_port_id'] }))).toBe(
      'port.smart_nic_port_id: required for a smartNIC port',
    );
    const flipped = await update(f.admin, {
      ...ref,
      port: { isSmartNic: false },
      updateMask: ['is_smart_nic', 'smart_nic_agent_id', 'smart_nic_port_id'],
    });
    expect(flipped.port).toEqual({ mac, isSmartNic: false, smartNicAgentId: '', smartNicPortId: '', sshPublicKey: '', ovsdbCaCert: '' });
    // Key and certificate set, then cleared by an empty value under the mask.
    const keyed = await update(f.admin, {
      ...ref,
      port: { sshPublicKey: SSH_KEY, ovsdbCaCert: caPem },
      updateMask: ['ssh_public_key', 'ovsdb_ca_cert'],
    });
    expect(keyed.port).toMatchObject({ sshPublicKey: SSH_KEY, ovsdbCaCert: caPem });
    const cleared = await update(f.admin, { ...ref, port: {}, updateMask: ['ssh_public_key'] });
    expect(cleared.port).toMatchObject({ sshPublicKey: '', ovsdbCaCert: caPem });
    // A MAC change, then the old MAC is gone.
    const moved = await update(f.admin, { ...ref, port: { mac: '52:54:00:A6:00:09' }, updateMask: ['mac'] });
    expect(moved.port?.mac).toBe('52:54:00:a6:00:09');
    expect((await failure(f.admin.call('PortService', 'GetPort', ref))).code).toBe('NOT_FOUND');
    const kinds = (await f.admin.call('EventService', 'ListEvents', { machine: machine.id })).events.filter(
      (e) => e.kind === 'machine.port-updated',
    );
    expect(kinds.map((e) => e.details['changed'])).toEqual([
      'smart_nic_agent_id',
      'is_smart_nic,smart_nic_agent_id,smart_nic_port_id',
      'ssh_public_key,ovsdb_ca_cert',
      'ssh_public_key',
      'mac',
    ]);
    expect(kinds.at(-1)?.details).toMatchObject({ mac: '52:54:00:a6:00:09', previousMac: mac });
  });
});
