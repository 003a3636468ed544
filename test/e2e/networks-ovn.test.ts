// The coordinator on real OVN, end to end: a mooring-coordinator process (dist/) whose config names
// an OVN_Northbound over mutual TLS (the key file given by path, mode 0600) and an OVN_Southbound,
// driven by moorctl, checked with ovn-nbctl. Networks and security-group rules become owned NB
// rows and go away on delete; bad input writes nothing; a restart's reconcile removes an owned
// orphan and leaves foreign rows alone; after NB is killed and restarted the coordinator reconciles
// again and recreates an owned ACL deleted behind its back.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJson, moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { OvnCentral } from '../harness/ovn.js';
import { waitFor } from '../harness/ovs.js';
import { createCa, writeKeyAndCert, writePem } from '../harness/pki.js';

const OWNER = 'e2e-fleet';
let dir: string;
let dataDir: string;
let ovn: OvnCentral;
let coordinator: CoordinatorProcess;
let coordinatorEnv: NodeJS.ProcessEnv;
let cliEnv: Record<string, string>;
const admin = (...args: string[]) => moorctl(['--token-file', join(dataDir, 'admin.token'), ...args], cliEnv);

async function startMooring(): Promise<void> {
  coordinator = await startCoordinatorProcess(dataDir, { logLevel: 'warn', env: coordinatorEnv });
  cliEnv = { MOORING_COORDINATOR: coordinator.address, MOORING_CA: join(dataDir, 'ca.crt') };
}

/** Every row of the tables Mooring writes, as ovn-nbctl lists them: what "nothing written" compares. */
async function nbSnapshot(): Promise<string> {
  const tables = ['Logical_Switch', 'Logical_Switch_Port', 'Port_Group', 'ACL', 'Address_Set'];
  return (await Promise.all(tables.map((t) => ovn.nbctl('--bare', '--columns=_uuid,name,external_ids', 'list', t)))).join('\n--\n');
}

async function switchOf(name: string): Promise<string[]> {
  return ovn.nbFind('Logical_Switch', 'name', `external_ids:mooring\\:name=${name}`, `external_ids:mooring\\:owner=${OWNER}`);
}

async function aclUuids(): Promise<string[]> {
  return ovn.nbFind('ACL', '_uuid', `external_ids:mooring\\:owner=${OWNER}`, 'external_ids:mooring\\:rule-id!=""');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mooring-e2e-ovn-'));
  dataDir = join(dir, 'coordinator');
  const ca = createCa('OVN test CA');
  const caCert = await writePem(dir, 'ovn-ca.pem', ca.cert);
  const server = await writeKeyAndCert(dir, 'nb', ca.issue('ovn-nb'));
  const client = await writeKeyAndCert(dir, 'coordinator', ca.issue('mooring-coordinator'));
  chmodSync(client.certFile, 0o644);
  ovn = await OvnCentral.start({ nbSsl: { privateKey: server.keyFile, certificate: server.certFile, caCert } });
  // The TLS files by path in the environment: nothing secret in argv.
  coordinatorEnv = {
    ...process.env,
    MOORING_OVN_NORTHBOUND: ovn.sslNbRemote,
    MOORING_OVN_SOUTHBOUND: ovn.sbRemote,
    MOORING_OVN_OWNER: OWNER,
    MOORING_OVN_PRIVATE_KEY: client.keyFile,
    MOORING_OVN_CERTIFICATE: client.certFile,
    MOORING_OVN_CA_CERT: caCert,
  };
  await startMooring();
}, 30_000);

afterAll(async () => {
  await coordinator?.kill('SIGTERM');
  await ovn?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('moorctl on a coordinator with OVN northbound configured', () => {
  it('makes a Logical_Switch per network and ACLs per rule, owned by this fleet, and removes them on delete', async () => {
    expect(await admin('network', 'create', 'blue', '--cidr', '10.20.0.0/24')).toMatchObject({ code: 0, stderr: '' });
    const [sw] = await switchOf('blue');
    expect(sw).toBeDefined();
    expect(await ovn.nbctl('get', 'Logical_Switch', sw!, 'other_config:subnet')).toBe('"10.20.0.0/24"');

    await admin('security-group', 'create', 'web');
    const rule = await expectJson(
      admin(
        '--json',
        'security-group',
        'rule',
        'add',
        'web',
        '--direction',
        'in',
        '--protocol',
        'tcp',
        '--port',
        '22',
        '--remote-cidr',
        '192.0.2.0/24',
      ),
    );
    const ruleId = (rule['rule'] as { id: string }).id;
    const acls = await ovn.nbFind('ACL', 'match', `external_ids:mooring\\:rule-id=${ruleId}`, `external_ids:mooring\\:owner=${OWNER}`);
    expect(acls).toHaveLength(1);
    expect(acls[0]).toContain('tcp.dst == 22');
    expect(acls[0]).toContain('ip4.src == 192.0.2.0/24');

    expect(await admin('security-group', 'rule', 'delete', 'web', ruleId)).toMatchObject({ code: 0 });
    expect(await ovn.nbFind('ACL', '_uuid', `external_ids:mooring\\:rule-id=${ruleId}`)).toEqual([]);
    expect(await admin('security-group', 'delete', 'web')).toMatchObject({ code: 0 });
    expect(await ovn.nbFind('Port_Group', 'name', `external_ids:mooring\\:owner=${OWNER}`)).toEqual([]);
    expect(await admin('network', 'delete', 'blue')).toMatchObject({ code: 0 });
    expect(await switchOf('blue')).toEqual([]);
  });

  it('writes nothing to NB for invalid input', async () => {
    await admin('security-group', 'create', 'db');
    const before = await nbSnapshot();
    const bad = [
      await admin('network', 'create', 'odd', '--cidr', '10.0.5.3/24'),
      await admin('network', 'create', 'wide', '--cidr', '10.0.0.0/33'),
      await admin('security-group', 'rule', 'add', 'db', '--direction', 'in', '--protocol', 'tcp', '--port', '70000'),
      await admin('security-group', 'rule', 'add', 'db', '--direction', 'in', '--protocol', 'tcp', '--remote-group', 'no-such-group'),
    ];
    for (const result of bad) expect(result.code, result.stderr).not.toBe(0);
    expect(bad[0]!.stderr).toContain('cidr');
    expect(await nbSnapshot()).toBe(before);
    await admin('security-group', 'delete', 'db');
  });

  it("a restart's reconcile removes an owned orphan switch and leaves foreign ones alone", async () => {
    expect(await admin('network', 'create', 'kept', '--cidr', '10.30.0.0/24')).toMatchObject({ code: 0 });
    await coordinator.kill('SIGTERM');
    const orphanId = randomUUID();
    await ovn.nbctl('ls-add', 'foreign-sw', '--', 'set', 'Logical_Switch', 'foreign-sw', 'external_ids:made-by=operator');
    await ovn.nbctl(
      'ls-add',
      'other-fleet-sw',
      '--',
      'set',
      'Logical_Switch',
      'other-fleet-sw',
      'external_ids:mooring\\:owner=another-fleet',
    );
    const orphan = `mooring-net-${orphanId}`;
    await ovn.nbctl(
      'ls-add',
      orphan,
      '--',
      'set',
      'Logical_Switch',
      orphan,
      `external_ids:mooring\\:owner=${OWNER}`,
      `external_ids:mooring\\:network-id=${orphanId}`,
    );

    await startMooring();
    await waitFor(
      async () => (await ovn.nbFind('Logical_Switch', 'name', `name=${orphan}`)).length === 0,
      15_000,
      'reconcile to remove the owned orphan switch',
    );
    const names = await ovn.nbFind('Logical_Switch', 'name');
    expect(names).toEqual(expect.arrayContaining(['foreign-sw', 'other-fleet-sw']));
    expect(await switchOf('kept')).toHaveLength(1);
    expect(await ovn.nbctl('get', 'Logical_Switch', 'foreign-sw', 'external_ids:made-by')).toBe('operator');
  });

  it('reconciles after NB is killed and restarted: an owned ACL deleted behind its back is recreated', async () => {
    await admin('security-group', 'create', 'ssh');
    const rule = await expectJson(
      admin('--json', 'security-group', 'rule', 'add', 'ssh', '--direction', 'in', '--protocol', 'tcp', '--port', '22'),
    );
    const ruleId = (rule['rule'] as { id: string }).id;
    const [acl] = await ovn.nbFind('ACL', '_uuid', `external_ids:mooring\\:rule-id=${ruleId}`);
    expect(acl).toBeDefined();
    const [group] = await ovn.nbFind('Port_Group', 'name', `external_ids:mooring\\:owner=${OWNER}`, `external_ids:mooring\\:name=ssh`);
    // Removing the ACL from its group deletes it (ACLs are non-root rows); the coordinator sees it go.
    await ovn.nbctl('remove', 'Port_Group', group!, 'acls', acl!);
    expect(await ovn.nbFind('ACL', '_uuid', `external_ids:mooring\\:rule-id=${ruleId}`)).toEqual([]);

    await ovn.killNb();
    await ovn.restartNb();
    await waitFor(
      async () => (await ovn.nbFind('ACL', '_uuid', `external_ids:mooring\\:rule-id=${ruleId}`)).length === 1,
      20_000,
      'the ACL to be recreated after NB reconnect',
    );
    expect((await ovn.nbFind('ACL', 'match', `external_ids:mooring\\:rule-id=${ruleId}`))[0]).toContain('tcp.dst == 22');
    expect(await aclUuids()).toHaveLength(1);
  });
});
