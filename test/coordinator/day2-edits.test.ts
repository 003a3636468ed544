// Day-2 edits through moorctl against a real coordinator: machine update (tags, pool with its
// auto-reservation, zone, hostname, power settings checked as at enlist, the password never in
// argv or output), user set-role and delete, group remove-member, and `machine reserve` beside
// the old top-level spelling.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretTable } from '../../coordinator/src/store/secret-table.js';
import { failure } from '../harness/call-outcome.js';
import { expectJson, moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

describe('day-2 edits', () => {
  let f: CoordinatorFixture;
  let env: Record<string, string>;
  const admin = (...args: string[]) => moorctl(['--token-file', join(f.dataDir, 'admin.token'), ...args], env);
  const adminStdin = (stdin: string, ...args: string[]) => moorctl(['--token-file', join(f.dataDir, 'admin.token'), ...args], env, stdin);

  beforeAll(async () => {
    f = await startCoordinator({ flags: { powerSyncIntervalMs: 0 } });
    env = { MOORING_COORDINATOR: f.address, MOORING_CA: join(f.dataDir, 'ca.crt') };
  });
  afterAll(async () => f?.close());

  it('updates tags, zone and hostname, and records what changed', async () => {
    const m = await f.machine('edit-a', { tags: ['old'] });
    const updated = await expectJson(
      admin('--json', 'machine', 'update', 'edit-a', '--tags', 'gpu, nvme', '--zone', 'z2', '--hostname', 'edit-b'),
    );
    expect(updated).toMatchObject({ hostname: 'edit-b', tags: ['gpu', 'nvme'], zone: 'z2' });
    expect((await f.admin.call('MachineService', 'GetMachine', { machine: 'edit-b' })).id).toBe(m.id);
    expect(await failure(f.admin.call('MachineService', 'GetMachine', { machine: 'edit-a' }))).toMatchObject({ code: 'NOT_FOUND' });
    const event = [...f.coordinator.events.since(0)].filter((e) => e.machineId === m.id && e.kind === 'machine.updated').at(-1);
    expect(event?.details).toMatchObject({ changed: 'tags,zone,hostname', previousHostname: 'edit-a' });
    // An empty list clears the tags; a taken hostname is refused and nothing else is applied.
    expect((await expectJson(admin('--json', 'machine', 'update', 'edit-b', '--tags', '')))['tags']).toEqual([]);
    await f.machine('edit-other');
    const taken = await admin('machine', 'update', 'edit-b', '--zone', 'z3', '--hostname', 'edit-other');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe('moorctl: a machine named edit-other already exists (ALREADY_EXISTS)\n');
    expect((await f.admin.call('MachineService', 'GetMachine', { machine: m.id })).zone).toBe('z2');
    const nothing = await admin('machine', 'update', 'edit-b');
    expect(nothing.stderr).toBe('moorctl: request: nothing to change: give tags, pool, zone, hostname or power (INVALID_ARGUMENT)\n');
  });

  it('re-applies auto-reservation on a pool move', async () => {
    await f.user('dana', 'member');
    await f.admin.call('TenancyService', 'CreateGroup', { name: 'gpu-team' });
    await f.admin.call('PoolService', 'CreatePool', { name: 'gpu', autoReserveFor: { kind: 'group', group: 'gpu-team' } });
    await f.admin.call('PoolService', 'CreatePool', { name: 'plain' });
    const m = await f.machine('move-a');
    expect(m.reservedFor).toBeNull();
    const moved = await f.admin.call('MachineService', 'UpdateMachine', { machine: m.id, pool: 'gpu' });
    expect(moved.pool).toBe('gpu');
    expect(moved.reservedFor).toMatchObject({ group: 'gpu-team' });
    // Out of gpu into a pool with no rule: the reservation gpu's rule made goes with it.
    expect((await f.admin.call('MachineService', 'UpdateMachine', { machine: m.id, pool: 'plain' })).reservedFor).toBeNull();
    // One made by hand stays.
    await f.admin.call('MachineService', 'ReserveMachine', { machine: m.id, holder: { kind: 'user', user: 'dana' } });
    expect((await f.admin.call('MachineService', 'UpdateMachine', { machine: m.id, pool: 'default' })).reservedFor).toMatchObject({
      user: 'dana',
    });
    expect(await failure(f.admin.call('MachineService', 'UpdateMachine', { machine: m.id, pool: 'nope' }))).toEqual({
      code: 'NOT_FOUND',
      details: 'pool nope not found',
    });
  });

  it('edits power settings with the enlist checks, the password from stdin and never shown', async () => {
    const m = await f.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'bmc-a',
      arch: 'amd64',
      cores: 4,
      memoryMib: 4096,
      power: { driver: 'POWER_DRIVER_IPMI', address: '10.0.0.5', user: 'root', password: 'first-secret' },
    });
    // Only the address changes: driver, user, boot mode and the stored password stay.
    const moved = await expectJson(admin('--json', 'machine', 'update', 'bmc-a', '--power-address', '10.0.0.6:6230'));
    expect(moved['power']).toMatchObject({ driver: 'POWER_DRIVER_IPMI', address: '10.0.0.6:6230', user: 'root', hasPassword: true });
    expect(await passwordOf(m.id)).toBe('first-secret');

    const replaced = await adminStdin(
      'new-secret-77\n',
      '--json',
      'machine',
      'update',
      'bmc-a',
      '--power-user',
      'ops',
      '--power-password-stdin',
    );
    expect(replaced.stderr).toBe('');
    expect(replaced.stdout).not.toContain('new-secret-77');
    expect(await passwordOf(m.id)).toBe('new-secret-77');

    // The enlist schema's own checks, naming the field; nothing is applied.
    const url = await admin('machine', 'update', 'bmc-a', '--power-address', 'https://10.0.0.7', '--zone', 'elsewhere');
    expect(url.code).toBe(1);
    expect(url.stderr).toMatch(/^moorctl: power\.address: .*is a URL; an IPMI address is host\[:port\] \(INVALID_ARGUMENT\)\n$/);
    const withCredentials = await failure(
      f.admin.call('MachineService', 'UpdateMachine', {
        machine: m.id,
        power: { driver: 'POWER_DRIVER_IPMI', address: 'root:pw@10.0.0.8', user: 'root' },
      }),
    );
    expect(withCredentials.code).toBe('INVALID_ARGUMENT');
    expect(withCredentials.details).not.toContain('pw@');
    const after = await f.admin.call('MachineService', 'GetMachine', { machine: m.id });
    expect(after.zone).toBe('default');
    expect(after.power).toMatchObject({ address: '10.0.0.6:6230', user: 'ops', hasPassword: true });
    // A password file on the coordinator's host replaces the stored password.
    const file = join(f.dataDir, 'bmc-a.password');
    writeFileSync(file, 'from-file\n', { mode: 0o600 });
    await admin('machine', 'update', 'bmc-a', '--power-password-remote-file', file);
    expect(await passwordOf(m.id)).toBe('from-file');
    // No event carries a password.
    const text = JSON.stringify([...f.coordinator.events.since(0)]);
    expect(text).not.toContain('first-secret');
    expect(text).not.toContain('new-secret-77');
  });

  it('edits the BMC settings of a driver, and a driver change starts from the new driver defaults', async () => {
    await f.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'bmc-b',
      arch: 'amd64',
      cores: 4,
      memoryMib: 4096,
      power: { driver: 'POWER_DRIVER_IPMI', address: '10.0.0.9', user: 'root', password: 'pw-b' },
    });
    const suite = await expectJson(admin('--json', 'machine', 'update', 'bmc-b', '--ipmi-cipher-suite', '17'));
    expect(suite['power']).toMatchObject({ driver: 'POWER_DRIVER_IPMI', ipmiCipherSuite: 17, address: '10.0.0.9' });
    // A Redfish setting on an IPMI machine is the enlist schema's refusal, naming the field.
    const wrong = await admin('machine', 'update', 'bmc-b', '--redfish-tls-verify', 'off');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/power\.redfish_tls_verify: applies to the redfish driver only \(INVALID_ARGUMENT\)/);
    const unsafe = await admin('machine', 'update', 'bmc-b', '--ipmi-cipher-suite', '0');
    expect(unsafe.stderr).toContain('--ipmi-cipher-suite: suite 0 logs in without authentication');
    // Moving to Redfish drops the IPMI cipher suite rather than carrying it over.
    const redfish = await expectJson(
      admin(
        '--json',
        'machine',
        'update',
        'bmc-b',
        '--power-driver',
        'redfish',
        '--power-address',
        'https://10.0.0.9',
        '--redfish-tls-verify',
        'off',
      ),
    );
    expect(redfish['power']).toMatchObject({ driver: 'POWER_DRIVER_REDFISH', redfishTlsVerify: 'REDFISH_TLS_VERIFY_OFF' });
    expect((redfish['power'] as Record<string, unknown>)['ipmiCipherSuite'] ?? 0).toBe(0);
  });

  it('refuses edits from members', async () => {
    const member = await f.user('erin', 'member');
    const m = await f.machine('edit-member');
    expect((await failure(member.call('MachineService', 'UpdateMachine', { machine: m.id, zone: 'z9' }))).code).toBe('PERMISSION_DENIED');
  });

  it('changes roles and deletes users, refusing while a user owns machines', async () => {
    const frank = await f.user('frank', 'member');
    const set = await admin('user', 'set-role', 'frank', '--role', 'observer');
    expect(set.stdout).toMatch(/frank\s+observer/);
    // Its token acts with the new role at once.
    expect((await failure(frank.call('MachineService', 'AllocateMachine', { constraints: {} }))).code).toBe('PERMISSION_DENIED');
    await admin('user', 'set-role', 'frank', '--role', 'member');
    const m = await f.machine('frank-box');
    await frank.call('MachineService', 'AllocateMachine', { constraints: { name: m.id } });

    const refused = await admin('user', 'delete', 'frank');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('moorctl: user frank cannot be deleted: it owns 1 machine(s) (release them first) (FAILED_PRECONDITION)\n');
    expect((await frank.call('TenancyService', 'WhoAmI', {})).name).toBe('frank');

    await frank.call('MachineService', 'ReleaseMachine', { machine: m.id });
    expect((await admin('user', 'delete', 'frank')).stdout).toBe('deleted user frank\n');
    expect((await failure(frank.call('TenancyService', 'WhoAmI', {}))).code).toBe('UNAUTHENTICATED');
    // A new frank does not inherit the old one's tokens.
    await f.admin.call('TenancyService', 'CreateUser', { name: 'frank', role: 'ROLE_MEMBER' });
    expect((await failure(frank.call('TenancyService', 'WhoAmI', {}))).code).toBe('UNAUTHENTICATED');
    expect((await f.admin.call('TenancyService', 'ListTokens', { user: 'frank' })).tokens).toEqual([]);

    // Never one's own role or user.
    expect((await admin('user', 'set-role', 'admin', '--role', 'member')).stderr).toBe(
      'moorctl: admin may not change your own role: ask another admin (FAILED_PRECONDITION)\n',
    );
    expect((await admin('user', 'delete', 'admin')).code).toBe(1);
    expect((await failure(f.admin.call('TenancyService', 'DeleteUser', { name: 'ghost' }))).code).toBe('NOT_FOUND');
  });

  it('removes a group member, who then no longer sees the group-reserved machine', async () => {
    const gina = await f.user('gina', 'member', ['night-shift']);
    const m = await f.machine('night-box');
    await f.admin.call('MachineService', 'ReserveMachine', { machine: m.id, holder: { kind: 'group', group: 'night-shift' } });
    // Visible to her while her group holds the reservation.
    expect((await gina.call('MachineService', 'GetMachine', { machine: m.id })).id).toBe(m.id);
    const removed = await admin('group', 'remove-member', 'night-shift', 'gina');
    expect(removed.code).toBe(0);
    expect((await f.admin.call('TenancyService', 'ListGroups', {})).groups.find((g) => g.name === 'night-shift')?.members).toEqual([]);
    expect(await failure(gina.call('MachineService', 'GetMachine', { machine: m.id }))).toEqual({
      code: 'NOT_FOUND',
      details: `machine ${m.id} not found`,
    });
  });

  it('reserves under `machine` and keeps the top-level spelling', async () => {
    await f.user('hank', 'member');
    const m = await f.machine('reserve-box');
    const under = await expectJson(admin('--json', 'machine', 'reserve', 'reserve-box', '--user', 'hank'));
    expect(under['reservedFor']).toMatchObject({ user: 'hank' });
    expect((await expectJson(admin('--json', 'machine', 'unreserve', 'reserve-box')))['reservedFor']).toBeNull();
    expect((await expectJson(admin('--json', 'reserve', m.id, '--user', 'hank')))['reservedFor']).toMatchObject({ user: 'hank' });
    expect((await expectJson(admin('--json', 'unreserve', m.id)))['reservedFor']).toBeNull();
    const help = await admin('machine', '--help');
    expect(help.stdout).toMatch(/reserve \[options\] <machine>/);
    expect(help.stdout).toMatch(/power <action> <machine>/);
  });

  /** The stored password as the power drivers read it (the coordinator's own store and key). */
  async function passwordOf(machineId: string): Promise<string | null> {
    const machine = f.coordinator.machines.table().get(machineId);
    if (!machine) throw new Error(`no machine ${machineId}`);
    return new SecretTable(f.coordinator.store.tables, f.coordinator.store.cipher).password(machine);
  }
});
