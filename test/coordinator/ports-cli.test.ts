// moorctl port create|list|show|update|delete end to end: the built CLI (npm run build first) as a
// real process against a real coordinator over TLS. Tables by default, --json one document,
// errors on stderr with a non-zero exit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJson, moorctl, type CliResult } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0Hq0mO1KgXlrtm0oJRGn4AaDbg4r0iNvbP7bJh3j9Q dpu@rack1';

// Each moorctl run is a fresh Node process: allow for a loaded machine.
describe('moorctl port', { timeout: 120_000 }, () => {
  let f: CoordinatorFixture;
  let env: Record<string, string>;
  let adminTokenFile: string;
  let observerTokenFile: string;
  let sshKeyFile: string;
  let caFile: string;
  const admin = (...args: string[]): Promise<CliResult> => moorctl(['--token-file', adminTokenFile, ...args], env);
  const observer = (...args: string[]): Promise<CliResult> => moorctl(['--token-file', observerTokenFile, ...args], env);
  const json = expectJson;

  beforeAll(async () => {
    f = await startCoordinator();
    env = { MOORING_COORDINATOR: f.address, MOORING_CA: join(f.dataDir, 'ca.crt') };
    adminTokenFile = join(f.dataDir, 'admin.token');
    observerTokenFile = join(f.dataDir, 'olga.token');
    await f.admin.call('TenancyService', 'CreateUser', { name: 'olga', role: 'ROLE_OBSERVER' });
    const { secret } = await f.admin.call('TenancyService', 'CreateToken', { user: 'olga', description: 'cli' });
    writeFileSync(observerTokenFile, `${secret}\n`, { mode: 0o600 });
    sshKeyFile = join(f.dataDir, 'dpu.pub');
    writeFileSync(sshKeyFile, `${SSH_KEY}\n`);
    caFile = join(f.dataDir, 'ca.crt');
    await f.machine('pc-1');
    // Ports may name only known smartNIC agents: announce this one with an enrollment token.
    await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: 'dpu-pc-2', role: 'smartnic', ttlSeconds: 3600 });
    await f.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'pc-2',
      arch: 'amd64',
      cores: 2,
      memoryMib: 2048,
      power: { driver: 'POWER_DRIVER_MANUAL' },
    });
  });
  afterAll(async () => f.close());

  it('creates, lists, shows, updates and deletes ports', async () => {
    const created = await admin(
      'port',
      'create',
      'pc-2',
      '--mac',
      '52:54:00:C1:00:01',
      '--smart-nic',
      '--agent',
      'dpu-pc-2',
      '--port-id',
      'pf0hpf',
      '--ssh-key-file',
      sshKeyFile,
      '--ovsdb-ca-file',
      caFile,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /^machine\s+m-[0-9a-f]{12}\nmac\s+52:54:00:c1:00:01\nsmartNIC\s+yes\nagent\s+dpu-pc-2\nport id\s+pf0hpf\n/,
    );
    expect(created.stdout).toMatch(/ssh key\s+ssh-ed25519 dpu@rack1\novsdb CA\s+set\n$/);
    expect((await admin('port', 'create', 'pc-2', '--mac', '52:54:00:c1:00:02')).code).toBe(0);

    const table = await observer('port', 'list', 'pc-2');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^MAC\s+SMARTNIC\s+AGENT\s+PORT ID\s+MODE\s+MAPS TO\s+SSH KEY\s+OVSDB CA$/);
    expect(lines[1]).toMatch(/^52:54:00:c1:00:01\s+yes\s+dpu-pc-2\s+pf0hpf\s+set\s+set$/);
    expect(lines[2]).toMatch(/^52:54:00:c1:00:02\s+no$/);
    const listed = await json(observer('--json', 'port', 'list', 'pc-2'));
    expect((listed['ports'] as { port: { mac: string } }[]).map((p) => p.port.mac)).toEqual(['52:54:00:c1:00:01', '52:54:00:c1:00:02']);

    const shown = await json(admin('--json', 'port', 'show', 'pc-2', '52:54:00:c1:00:01'));
    expect(shown).toMatchObject({
      port: { mac: '52:54:00:c1:00:01', isSmartNic: true, smartNicAgentId: 'dpu-pc-2', smartNicPortId: 'pf0hpf', sshPublicKey: SSH_KEY },
      smartNicMode: '',
      mapsTo: '',
    });
    expect((shown['port'] as { ovsdbCaCert: string }).ovsdbCaCert).toBe(f.caPem);

    const updated = await json(admin('--json', 'port', 'update', 'pc-2', '52:54:00:c1:00:01', '--port-id', 'pf1hpf', '--clear-ssh-key'));
    expect(updated['port']).toMatchObject({ smartNicAgentId: 'dpu-pc-2', smartNicPortId: 'pf1hpf', sshPublicKey: '' });
    // Flipping to plain needs the ids cleared in the same update.
    const flip = await admin('port', 'update', 'pc-2', '52:54:00:c1:00:01', '--no-smart-nic');
    expect(flip.code).toBe(1);
    expect(flip.stdout).toBe('');
    expect(flip.stderr).toMatch(
      /^moorctl: port\.is_smart_nic: false, but smart_nic_agent_id and smart_nic_port_id are set.* \(INVALID_ARGUMENT\)\n$/,
    );
    const plain = await admin(
      'port',
      'update',
      'pc-2',
      '52:54:00:c1:00:01',
      '--no-smart-nic',
      '--agent',
      '',
      '--port-id',
      '',
      '--new-mac',
      '52:54:00:c1:00:03',
    );
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/mac\s+52:54:00:c1:00:03\nsmartNIC\s+no\nagent\n/);
    const machine = await f.admin.call('MachineService', 'GetMachine', { machine: 'pc-2' });
    expect(machine.ports.map((p) => [p.mac, p.isSmartNic, p.smartNicAgentId])).toEqual([
      ['52:54:00:c1:00:03', false, ''],
      ['52:54:00:c1:00:02', false, ''],
    ]);

    expect(await admin('port', 'delete', 'pc-2', '52:54:00:c1:00:02')).toEqual({
      code: 0,
      stdout: 'deleted port 52:54:00:c1:00:02 of pc-2\n',
      stderr: '',
    });
    expect(await json(admin('--json', 'port', 'delete', 'pc-2', '52:54:00:c1:00:03'))).toEqual({
      deleted: '52:54:00:c1:00:03',
      machine: 'pc-2',
    });
    expect((await admin('port', 'list', 'pc-2')).stdout).toMatch(/^MAC\s+SMARTNIC.*\n$/);
    const events = (await f.admin.call('EventService', 'ListEvents', { machine: machine.id })).events
      .map((e) => e.kind)
      .filter((k) => k.startsWith('machine.port-'));
    expect(events).toEqual([
      'machine.port-created',
      'machine.port-created',
      'machine.port-updated',
      'machine.port-updated',
      'machine.port-deleted',
      'machine.port-deleted',
    ]);
  });

  it('reports refusals on stderr with a non-zero exit', async () => {
    const denied = await observer('port', 'create', 'pc-1', '--mac', '52:54:00:c2:00:01');
    expect(denied).toEqual({ code: 1, stdout: '', stderr: 'moorctl: olga may not change ports (PERMISSION_DENIED)\n' });
    const missing = await admin('port', 'create', 'pc-1', '--mac', '52:54:00:c2:00:01', '--smart-nic', '--port-id', 'pf0hpf');
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'moorctl: port.smart_nic_agent_id: required for a smartNIC port (INVALID_ARGUMENT)\n',
    });
    const both = await admin('port', 'create', 'pc-1', '--mac', '52:54:00:c2:00:01', '--agent', 'dpu', '--port-id', 'pf0hpf');
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^moorctl: port\.is_smart_nic: .*\(INVALID_ARGUMENT\)\n$/);
    const nothing = await admin('port', 'update', 'pc-1', '52:54:00:c2:00:01');
    expect(nothing).toEqual({ code: 2, stdout: '', stderr: 'moorctl: port update: give at least one field to change (see --help)\n' });
    const unreadable = await admin(
      'port',
      'create',
      'pc-1',
      '--mac',
      '52:54:00:c2:00:01',
      '--ssh-key-file',
      join(f.dataDir, 'missing.pub'),
    );
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/^moorctl: --ssh-key-file: cannot read .*missing\.pub/);
    const noPort = await admin('port', 'show', 'pc-1', '52:54:00:c2:00:99');
    expect(noPort.code).toBe(1);
    expect(noPort.stderr).toMatch(/^moorctl: machine m-[0-9a-f]{12} has no port 52:54:00:c2:00:99 \(NOT_FOUND\)\n$/);
    await f.admin.call('MachineService', 'AllocateMachine', { constraints: { name: 'pc-1' } });
    const locked = await admin('port', 'create', 'pc-1', '--mac', '52:54:00:c2:00:01');
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/^moorctl: machine m-[0-9a-f]{12} is ALLOCATED: cannot change ports .*\(FAILED_PRECONDITION\)\n$/);
    expect((await admin('port', 'create', 'pc-1')).code).toBe(2); // --mac is required
  });
});
