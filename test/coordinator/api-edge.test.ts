// The API edge over real gRPC and TLS: every request validated (INVALID_ARGUMENT naming the
// field), bearer tokens (missing, malformed, revoked, expired with a manual clock), secrets never
// returned, grpc.health.v1 and server reflection served.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../coordinator/src/clock.js';
import type { RequestOf } from '../../coordinator/src/client/coordinator-client.js';
import type { MachineStatus } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

async function invalid(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    expect((error as grpc.ServiceError).code, (error as grpc.ServiceError).details).toBe(grpc.status.INVALID_ARGUMENT);
    return (error as grpc.ServiceError).details;
  }
  throw new Error('request unexpectedly accepted');
}

const machine = (over: RequestOf<'MachineService', 'EnlistMachine'> = {}): RequestOf<'MachineService', 'EnlistMachine'> => ({
  hostname: 'ok-1',
  arch: 'amd64',
  cores: 4,
  memoryMib: 4096,
  power: { driver: 'POWER_DRIVER_MANUAL' },
  ...over,
});

describe('API edge', () => {
  const clock = new ManualClock(Date.now());
  let f: CoordinatorFixture;
  beforeAll(async () => {
    f = await startCoordinator({ clock });
  });
  afterAll(async () => f.close());

  it('rejects invalid requests naming the field', async () => {
    const enlist = (over: RequestOf<'MachineService', 'EnlistMachine'>) => f.admin.call('MachineService', 'EnlistMachine', machine(over));
    expect(await invalid(enlist({ hostname: 'Not_A_Host' }))).toMatch(/^hostname: /);
    expect(await invalid(enlist({ cores: 0 }))).toBe('cores: must be at least 1');
    expect(await invalid(enlist({ arch: '' }))).toMatch(/^arch: /);
    expect(await invalid(enlist({ power: null }))).toBe('power: required');
    expect(await invalid(enlist({ power: { driver: 'POWER_DRIVER_UNSPECIFIED' } }))).toMatch(/^power\.driver: required/);
    expect(await invalid(enlist({ power: { driver: 'POWER_DRIVER_IPMI' } }))).toBe('power.address: required for this driver');
    expect(await invalid(enlist({ power: { driver: 'POWER_DRIVER_MANUAL', password: 'x', passwordFile: '/etc/pw' } }))).toMatch(
      /^power\.password_file: /,
    );
    expect(await invalid(enlist({ power: { driver: 'POWER_DRIVER_MANUAL', passwordFile: 'relative' } }))).toBe(
      'power.password_file: must be an absolute path',
    );
    expect(await invalid(enlist({ ports: [{ mac: 'zz' }] }))).toMatch(/^ports\[0\]\.mac: /);
    expect(await invalid(enlist({ ports: [{ mac: '52:54:00:00:00:01' }, { mac: '52:54:00:00:00:01' }] }))).toBe(
      'ports[1].mac: duplicate MAC address',
    );
    expect(await invalid(enlist({ ports: [{ mac: '52:54:00:00:00:02', isSmartNic: true, smartNicPortId: 'p0' }] }))).toBe(
      'ports[0].smart_nic_agent_id: required for a smartNIC port',
    );
    expect(await invalid(enlist({ tags: ['ok', 'not ok'] }))).toMatch(/^tags\[1\]: /);
    expect(await invalid(enlist({ pool: 'Bad Pool' }))).toMatch(/^pool: /);
    expect(await invalid(f.admin.call('MachineService', 'AllocateMachine', { constraints: { tags: ['a b'] } }))).toMatch(
      /^constraints\.tags\[0\]: /,
    );
    expect(await invalid(f.admin.call('MachineService', 'ReserveMachine', { machine: 'x' }))).toBe('holder: required: set user or group');
    expect(await invalid(f.admin.call('MachineService', 'GetMachine', {}))).toBe('machine: required');
    expect(await invalid(f.admin.call('MachineService', 'ListMachines', { pageSize: 100000 }))).toBe('page_size: must be at most 5000');
    // An enum number the .proto does not name reaches the server as that number (enums: String).
    expect(await invalid(f.admin.call('MachineService', 'ListMachines', { status: 99 as number as MachineStatus }))).toBe(
      'status: must be a machine status',
    );
    expect(await invalid(f.admin.call('MachineService', 'AnnotateMachine', { machine: 'x' }))).toBe(
      'set: set or remove at least one annotation',
    );
    expect(await invalid(f.admin.call('TenancyService', 'CreateUser', { name: 'dora' }))).toBe('role: required: admin, member or observer');
    expect(await invalid(f.admin.call('TenancyService', 'CreateUser', { name: '1dora', role: 'ROLE_MEMBER' }))).toMatch(/^name: /);
    expect(await invalid(f.admin.call('TenancyService', 'RevokeToken', { id: 'nope' }))).toMatch(/^id: /);
    // Nothing was created by any of them.
    expect((await f.admin.call('MachineService', 'ListMachines', {})).machines).toEqual([]);
  });

  it('refuses calls without a valid bearer token', async () => {
    const unauthenticated = { code: grpc.status.UNAUTHENTICATED };
    await expect(f.client('').call('TenancyService', 'WhoAmI', {})).rejects.toMatchObject(unauthenticated);
    await expect(f.client('garbage').call('TenancyService', 'WhoAmI', {})).rejects.toMatchObject(unauthenticated);
    const forged = f.adminToken.slice(0, -4) + (f.adminToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expect(f.client(forged).call('TenancyService', 'WhoAmI', {})).rejects.toMatchObject({
      ...unauthenticated,
      details: 'unknown token',
    });
  });

  it('revokes tokens at once and expires them by the clock', async () => {
    await f.user('eve', 'member');
    const created = await f.admin.call('TenancyService', 'CreateToken', { user: 'eve', expiresInSeconds: 3600 });
    const eve = f.client(created.secret);
    expect((await eve.call('TenancyService', 'WhoAmI', {})).name).toBe('eve');
    clock.advance(3599_000);
    expect((await eve.call('TenancyService', 'WhoAmI', {})).name).toBe('eve');
    clock.advance(1_000);
    await expect(eve.call('TenancyService', 'WhoAmI', {})).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: 'token expired',
    });

    const second = await f.admin.call('TenancyService', 'CreateToken', { user: 'eve' });
    const eve2 = f.client(second.secret);
    expect((await eve2.call('TenancyService', 'WhoAmI', {})).name).toBe('eve');
    const revoked = await eve2.call('TenancyService', 'RevokeToken', { id: second.token!.id });
    expect(revoked.revokedAt).not.toBe('');
    await expect(eve2.call('TenancyService', 'WhoAmI', {})).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: 'token revoked',
    });
    // Tokens are stored hashed: the secret is nowhere in the store file.
    const file = readFileSync(join(f.dataDir, 'coordinator.mdb'));
    const secretPart = /^mrt_[0-9a-f]{16}_(.{43})$/.exec(second.secret)?.[1];
    expect(secretPart).toHaveLength(43);
    expect(file.includes(Buffer.from(secretPart!))).toBe(false);
  });

  it('never returns or records a BMC password', async () => {
    const password = 'correct-horse-battery-staple';
    const passwordFile = join(f.dataDir, 'bmc.pw');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    const a = await f.admin.call(
      'MachineService',
      'EnlistMachine',
      machine({ hostname: 'pw-1', power: { driver: 'POWER_DRIVER_MANUAL', user: 'root', password } }),
    );
    const b = await f.admin.call(
      'MachineService',
      'EnlistMachine',
      machine({ hostname: 'pw-2', power: { driver: 'POWER_DRIVER_MANUAL', passwordFile } }),
    );
    expect(a.power).toMatchObject({ password: '', hasPassword: true, user: 'root' });
    expect(b.power).toMatchObject({ password: '', hasPassword: true, passwordFile });
    const everything = JSON.stringify([
      await f.admin.call('MachineService', 'ListMachines', {}),
      await f.admin.call('MachineService', 'GetMachine', { machine: 'pw-1' }),
      await f.admin.call('EventService', 'ListEvents', { limit: 5000 }),
    ]);
    expect(everything).not.toContain(password);
  });

  it('serves grpc.health.v1 and server reflection over TLS', async () => {
    const credentials = grpc.credentials.createSsl(Buffer.from(f.caPem));
    const health = grpc.loadPackageDefinition(protoLoader.loadSync(healthProtoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
    };
    const healthClient = new health.grpc.health.v1.Health(f.address, credentials);
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) =>
        (healthClient as unknown as { Check: (r: object, cb: (e: Error | null, r: { status: string }) => void) => void }).Check(
          { service },
          (e, r) => (e ? reject(e) : resolve(r)),
        ),
      );
    expect((await check('')).status).toBe('SERVING');
    expect((await check('mooring.v1.MachineService')).status).toBe('SERVING');
    healthClient.close();

    const require = createRequire(import.meta.url);
    const reflectionProto = join(require.resolve('@grpc/reflection'), '../../proto/grpc/reflection/v1/reflection.proto');
    const reflection = grpc.loadPackageDefinition(protoLoader.loadSync(reflectionProto, { keepCase: true })) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
    };
    const reflectionClient = new reflection.grpc.reflection.v1.ServerReflection(f.address, credentials);
    const stream = (
      reflectionClient as unknown as {
        ServerReflectionInfo: () => grpc.ClientDuplexStream<object, { list_services_response?: { service: { name: string }[] } }>;
      }
    ).ServerReflectionInfo();
    const answer = new Promise<string[]>((resolve, reject) => {
      stream.on('data', (response: { list_services_response?: { service: { name: string }[] } }) =>
        resolve((response.list_services_response?.service ?? []).map((s) => s.name)),
      );
      stream.on('error', reject);
    });
    stream.write({ list_services: '*' });
    const services = await answer;
    stream.cancel();
    reflectionClient.close();
    expect(services).toEqual(
      expect.arrayContaining([
        'mooring.v1.MachineService',
        'mooring.v1.PoolService',
        'mooring.v1.TenancyService',
        'mooring.v1.EventService',
      ]),
    );
  });
});
