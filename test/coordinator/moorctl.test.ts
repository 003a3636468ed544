// moorctl end to end: the built CLI as a real process against a real coordinator over TLS.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJson, moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { freePort } from '../harness/free-port.js';

describe('moorctl', () => {
  let f: CoordinatorFixture;
  let env: Record<string, string>;
  let adminTokenFile: string;
  let aliceTokenFile: string;
  const admin = (...args: string[]) => moorctl(['--token-file', adminTokenFile, ...args], env);
  const alice = (...args: string[]) => moorctl(['--token-file', aliceTokenFile, ...args], env);
  const json = expectJson;

  beforeAll(async () => {
    f = await startCoordinator();
    env = { MOORING_COORDINATOR: f.address, MOORING_CA: join(f.dataDir, 'ca.crt') };
    adminTokenFile = join(f.dataDir, 'admin.token');
    aliceTokenFile = join(f.dataDir, 'alice.token');
    // Ports may name only known smartNIC agents: announce this one with an enrollment token.
    await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: 'dpu-e2e-1', role: 'smartnic', ttlSeconds: 3600 });
  });
  afterAll(async () => f.close());

  it('manages users, groups, tokens and pools', async () => {
    const whoami = await admin('whoami');
    expect(whoami.stdout).toMatch(/^NAME\s+ROLE\s+GROUPS\nadmin\s+admin\n$/);
    expect((await admin('user', 'create', 'alice', '--role', 'member')).code).toBe(0);
    expect((await admin('group', 'create', 'ops')).code).toBe(0);
    expect((await admin('group', 'add-member', 'ops', 'alice')).stdout).toContain('alice');
    const token = await json(admin('--json', 'token', 'create', '--user', 'alice', '--description', 'e2e', '--expires-in', '30d'));
    writeFileSync(aliceTokenFile, `${token['secret'] as string}\n`, { mode: 0o600 });
    expect((await json(alice('--json', 'whoami')))['groups']).toEqual(['ops']);
    const users = await admin('user', 'list');
    expect(users.stdout.split('\n')[0]).toMatch(/^NAME\s+ROLE\s+GROUPS$/);
    expect(users.stdout).toMatch(/alice\s+member\s+ops/);
    const pool = await admin('pool', 'create', 'gpu', '--reserve-for-group', 'ops', '--description', 'GPU boxes');
    expect(pool.stdout).toMatch(/gpu\s+group:ops\s+quick\s+GPU boxes/);
    expect((await json(admin('--json', 'pool', 'list')))['pools']).toHaveLength(2);
    // How release erases the pool's machines: quick unless told, secure when asked.
    expect((await admin('pool', 'create', 'vault', '--erase', 'secure')).stdout).toMatch(/vault\s+-?\s*secure/);
    expect((await admin('pool', 'edit', 'gpu', '--erase', 'secure')).stdout).toMatch(/gpu\s+group:ops\s+secure\s+GPU boxes/);
    const bad = await admin('pool', 'edit', 'vault', '--erase', 'wipe');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--erase: "wipe" is not quick or secure');
    const pools = (await json(admin('--json', 'pool', 'list')))['pools'] as { name: string; eraseMode: string }[];
    expect(pools.map((p) => [p.name, p.eraseMode])).toEqual([
      ['default', 'ERASE_MODE_QUICK'],
      ['gpu', 'ERASE_MODE_SECURE'],
      ['vault', 'ERASE_MODE_SECURE'],
    ]);
    expect((await admin('pool', 'delete', 'vault')).code).toBe(0);
  });

  it('takes several coordinators and uses the first it can reach; none reachable names each', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const deadToo = `127.0.0.1:${await freePort()}`;
    const first = await moorctl(['--token-file', adminTokenFile, 'whoami'], { ...env, MOORING_COORDINATOR: `${dead},${f.address}` });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^admin\s+admin$/m);
    const none = await moorctl(['--token-file', adminTokenFile, '--coordinator', `${dead},${deadToo}`, 'whoami'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`moorctl: no coordinator could be reached: ${dead}: the connection failed`);
    expect(none.stderr).toContain(`; ${deadToo}: the connection failed`);
  });

  it('enlists with the password from a file or the environment, never echoing it', async () => {
    const passwordFile = join(f.dataDir, 'bmc.pw');
    writeFileSync(passwordFile, 's3cret-from-file\n', { mode: 0o600 });
    const enlisted = await json(
      admin(
        '--json',
        'machine',
        'enlist',
        '--hostname',
        'e2e-1',
        '--cores',
        '8',
        '--memory',
        '32G',
        '--tag',
        'gpu',
        '--pool',
        'gpu',
        '--power-driver',
        'manual',
        '--power-user',
        'root',
        '--power-password-file',
        passwordFile,
        '--port',
        '52:54:00:aa:00:01,smartnic,dpu-e2e-1,pf0hpf',
        '--commission',
      ),
    );
    expect(enlisted).toMatchObject({
      hostname: 'e2e-1',
      status: 'MACHINE_STATUS_READY',
      memoryMib: 32768,
      reservedFor: { kind: 'group', group: 'ops' },
    });
    expect(JSON.stringify(enlisted)).not.toContain('s3cret');
    const fromEnv = await moorctl(
      ['--token-file', adminTokenFile, 'machine', 'enlist', '--hostname', 'e2e-2', '--cores', '4', '--memory', '8192', '--commission'],
      { ...env, MOORING_POWER_PASSWORD: 's3cret-from-env' },
    );
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toMatch(/status\s+READY/);
    expect(fromEnv.stdout).toMatch(/power\s+manual user=|power\s+manual password=set/);
    const shown = await admin('machine', 'show', 'e2e-1');
    expect(shown.stdout).toContain('password=set');
    expect(shown.stdout).toContain('smartNIC agent=dpu-e2e-1 port=pf0hpf');
    expect(shown.stdout).not.toContain('s3cret');
    const list = await admin('machine', 'list');
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+HOSTNAME\s+STATUS\s+OWNER\s+RESERVED\s+POOL/);
    expect(list.stdout).toMatch(/e2e-1\s+READY\s+group:ops\s+gpu/);
    expect(((await json(admin('--json', 'machine', 'list', '--status', 'ready')))['machines'] as unknown[]).length).toBe(2);
  });

  it('allocates, annotates and releases as a member, and explains exhaustion', async () => {
    const dry = await alice('machine', 'allocate', '--tag', 'gpu', '--dry-run');
    expect(dry.stdout).toContain('dry run');
    const taken = await json(
      alice('--json', 'machine', 'allocate', '--tag', 'gpu', '--smartnic', 'required', '--annotate', 'job=e2e', '--reason', 'ci'),
    );
    expect(taken['machine']).toMatchObject({ hostname: 'e2e-1', owner: 'alice', annotations: { job: 'e2e' } });
    expect((await alice('machine', 'annotate', 'e2e-1', '--set', 'stage=2', '--remove', 'job')).stdout).toMatch(/annotation stage\s+2/);
    const none = await alice('machine', 'allocate', '--min-cores', '64');
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('moorctl: no machine available: 1 READY visible to alice, 0 with >= 64 cores (RESOURCE_EXHAUSTED)\n');
    expect(none.stdout).toBe('');
    const released = await alice('machine', 'release', 'e2e-1', '--reason', 'done');
    expect(released.stdout).toMatch(/status\s+READY/);
    expect(released.stdout).toMatch(/reserved for\s+group:ops/);
  });

  it('reserves, marks broken and fixed, deletes, and lists events', async () => {
    expect((await admin('reserve', 'e2e-2', '--user', 'alice')).stdout).toMatch(/reserved for\s+user:alice/);
    expect((await admin('reserve', 'e2e-2')).code).toBe(2);
    expect((await admin('unreserve', 'e2e-2')).stdout).toMatch(/reserved for\s*\n/);
    expect((await admin('machine', 'broken', 'e2e-2', '--reason', 'psu')).stdout).toMatch(/status\s+BROKEN \(psu\)/);
    expect((await alice('machine', 'show', 'e2e-2')).stdout).toMatch(/status\s+BROKEN/);
    expect((await admin('machine', 'fixed', 'e2e-2')).stdout).toMatch(/status\s+READY/);
    expect((await admin('machine', 'delete', 'e2e-2')).stdout).toBe('deleted e2e-2\n');
    const gone = await admin('machine', 'show', 'e2e-2');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('moorctl: machine e2e-2 not found (NOT_FOUND)\n');
    const events = await admin('events', 'list', '--machine', 'e2e-1');
    expect(events.stdout).toMatch(/READY -> ALLOCATED\s+ci/);
    const watched = await admin('--json', 'events', 'watch', '--since', '0', '--count', '3');
    const lines = watched.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number });
    expect(lines.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('revokes tokens and fails cleanly on bad usage', async () => {
    const tokens = await json(alice('--json', 'token', 'list'));
    const [token] = tokens['tokens'] as { id: string }[];
    expect((await admin('token', 'revoke', token!.id)).code).toBe(0);
    const refused = await alice('whoami');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('moorctl: token revoked (UNAUTHENTICATED)\n');
    const noCoordinator = await moorctl(['whoami'], {});
    expect(noCoordinator.code).toBe(2);
    expect(noCoordinator.stderr).toContain('no coordinator');
    const badFlag = await admin('machine', 'enlist', '--hostname', 'x', '--cores', 'many', '--memory', '1G');
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toBe('moorctl: --cores: expected a whole number, got many\n');
    const invalid = await admin('machine', 'enlist', '--hostname', 'UPPER', '--cores', '1', '--memory', '1G');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^moorctl: hostname: .* \(INVALID_ARGUMENT\)\n$/);
  });
});
