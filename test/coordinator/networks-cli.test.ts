// moorctl network and moorctl security-group end to end: the built CLI as a real process against
// a real coordinator over TLS, the fabric simulated (test/harness/simulated-fabric.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkAttachment } from '../../coordinator/src/networks/network-records.js';
import { expectJson, moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { SimulatedFabric } from '../harness/simulated-fabric.js';

describe('moorctl network and security-group', () => {
  let f: CoordinatorFixture;
  let fabric: SimulatedFabric;
  let env: Record<string, string>;
  let daveTokenFile: string;
  const admin = (...args: string[]) => moorctl(['--token-file', join(f.dataDir, 'admin.token'), ...args], env);
  const dave = (...args: string[]) => moorctl(['--token-file', daveTokenFile, ...args], env);

  beforeAll(async () => {
    fabric = new SimulatedFabric();
    f = await startCoordinator({ networkFabric: fabric });
    env = { MOORING_COORDINATOR: f.address, MOORING_CA: join(f.dataDir, 'ca.crt') };
    await f.user('dave', 'member', ['blue']);
    const { secret } = await f.admin.call('TenancyService', 'CreateToken', { user: 'dave', description: 'cli' });
    daveTokenFile = join(f.dataDir, 'dave.token');
    writeFileSync(daveTokenFile, `${secret}\n`, { mode: 0o600 });
  });
  afterAll(async () => f.close());

  it('creates, lists, shows (with attached machines) and deletes networks', async () => {
    const created = await dave('network', 'create', 'front', '--cidr', '10.8.0.0/24', '--owner', 'group:blue');
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^NAME\s+CIDR\s+OWNER\s+ID\nfront\s+10\.8\.0\.0\/24\s+group:blue\s+[0-9a-f-]{36}\n$/);
    const json = await expectJson(dave('--json', 'network', 'list'));
    expect(json['networks']).toMatchObject([{ name: 'front', cidr: '10.8.0.0/24', owner: { kind: 'group', group: 'blue' } }]);
    const id = (json['networks'] as { id: string }[])[0]!.id;

    const attachment: NetworkAttachment = {
      lspName: 'lsp-front-1',
      networkId: id,
      machineId: 'machine-front',
      portId: 'port-1',
      mac: '52:54:00:08:00:01',
      ip: '10.8.0.2',
      securityGroupIds: [],
    };
    await f.coordinator.store.write(() => f.coordinator.store.tables.networkAttachments.putSync(attachment.lspName, attachment));
    const shown = await dave('network', 'show', 'front');
    expect(shown.stdout).toMatch(/^name\s+front\n/);
    expect(shown.stdout).toMatch(/\nmachines\s+1\n/);
    expect(shown.stdout).toMatch(
      /\nMACHINE\s+MAC\s+IP\s+LSP\s+SECURITY GROUPS\nmachine-front\s+52:54:00:08:00:01\s+10\.8\.0\.2\s+lsp-front-1\n$/,
    );

    const refused = await dave('network', 'delete', 'front');
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe('moorctl: network front is still used by machine(s) machine-front (FAILED_PRECONDITION)\n');
    await f.coordinator.store.write(() => f.coordinator.store.tables.networkAttachments.removeSync(attachment.lspName));
    expect(await dave('network', 'delete', 'front')).toMatchObject({ code: 0, stdout: 'deleted network front\n' });
    expect((await f.admin.call('NetworkService', 'ListNetworks', {})).networks).toEqual([]);
  });

  it('reports bad input by field, and bad flags before calling', async () => {
    expect(await dave('network', 'create', 'odd', '--cidr', '10.0.5.3/24')).toMatchObject({
      code: 1,
      stderr: 'moorctl: cidr: 10.0.5.3/24 is not aligned to its network: did you mean 10.0.5.0/24? (INVALID_ARGUMENT)\n',
    });
    expect(await dave('network', 'create', 'odd', '--owner', 'team:blue')).toMatchObject({
      code: 2,
      stderr: 'moorctl: --owner: expected user:NAME or group:NAME, got "team:blue"\n',
    });
    expect(fabric.callsOf('ensureNetwork').map((call) => (call.args[0] as { name: string }).name)).not.toContain('odd');
  });

  it('manages security groups and their rules', async () => {
    expect((await dave('security-group', 'create', 'web-sg')).stdout).toMatch(/^NAME\s+OWNER\s+RULES\s+ID\nweb-sg\s+user:dave\s+0\s+/);
    await dave('security-group', 'create', 'lb-sg');
    const ssh = await expectJson(
      dave(
        '--json',
        'security-group',
        'rule',
        'add',
        'web-sg',
        '--direction',
        'in',
        '--protocol',
        'tcp',
        '--port',
        '22-23',
        '--remote-cidr',
        '192.0.2.0/24',
      ),
    );
    const ruleId = (ssh['rule'] as { id: string }).id;
    const fromLb = await dave(
      'security-group',
      'rule',
      'add',
      'web-sg',
      '--direction',
      'in',
      '--protocol',
      'tcp',
      '--port',
      '443',
      '--remote-group',
      'lb-sg',
    );
    expect(fromLb.stdout).toMatch(/^RULE\s+DIRECTION\s+PROTOCOL\s+PORTS\s+REMOTE\n[0-9a-f]{8}\s+in\s+tcp\s+443\s+group:lb-sg\n$/);
    const shown = await dave('security-group', 'show', 'web-sg');
    expect(shown.stdout).toContain(`${ruleId}  in         tcp       22-23  192.0.2.0/24\n`);
    expect(shown.stdout).toMatch(/in\s+tcp\s+443\s+group:lb-sg\n$/);

    expect(await dave('security-group', 'rule', 'add', 'web-sg', '--direction', 'in', '--protocol', 'tcp', '--port', '0')).toMatchObject({
      code: 1,
      stderr: 'moorctl: ports.min: port 0 is outside 1-65535 (INVALID_ARGUMENT)\n',
    });
    expect((await dave('security-group', 'delete', 'lb-sg')).stderr).toBe(
      'moorctl: security group lb-sg is still used by the rules of security group(s) web-sg (FAILED_PRECONDITION)\n',
    );

    expect(await dave('security-group', 'rule', 'delete', 'web-sg', ruleId)).toMatchObject({
      code: 0,
      stdout: `deleted rule ${ruleId} of security group web-sg\n`,
    });
    const groups = await expectJson(dave('--json', 'security-group', 'list'));
    expect(groups['securityGroups']).toMatchObject([
      { name: 'lb-sg', rules: [] },
      { name: 'web-sg', rules: [{ protocol: 'tcp', ports: { min: 443, max: 443 }, remoteGroup: 'lb-sg' }] },
    ]);
    expect((await dave('security-group', 'delete', 'web-sg')).stdout).toBe('deleted security group web-sg\n');
    expect((await admin('--json', 'security-group', 'delete', 'lb-sg')).stdout).toBe('{\n  "deleted": "lb-sg"\n}\n');
  });
});
