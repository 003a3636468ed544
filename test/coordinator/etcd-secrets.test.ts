// Shared secrets on etcd (issue 18): coordinators on one prefix need only the same secrets.key. Two
// started at once on an empty prefix make one CA between them and both hand out the bootstrap
// admin token; a later one loads the CA from etcd; each issues its own server certificate from the
// shared CA. The raw etcd keys hold no PEM private key, no token and no BMC password in clear.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../coordinator/src/pki/certificate-authority.js';
import { systemClock } from '../../coordinator/src/clock.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { EtcdCluster } from '../harness/etcd.js';

const SECRETS_KEY = `${'5a'.repeat(32)}\n`;

describe('secrets shared through etcd', () => {
  let cluster: EtcdCluster;
  const dirs: string[] = [];
  const running: CoordinatorFixture[] = [];
  const prefix = `/shared-${process.pid}`;

  /** A data dir holding only the shared secrets key. */
  function dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-etcd-secrets-'));
    writeFileSync(join(dir, 'secrets.key'), SECRETS_KEY, { mode: 0o600 });
    dirs.push(dir);
    return dir;
  }

  async function start(dir: string, serverName: string): Promise<CoordinatorFixture> {
    const f = await startCoordinator({
      dataDir: dir,
      flags: { store: `etcd:${cluster.endpoints.join(',')}`, etcdPrefix: prefix, serverNames: [serverName, '127.0.0.1'] },
    });
    running.push(f);
    return f;
  }

  beforeAll(async () => {
    cluster = await EtcdCluster.start(1);
  }, 120_000);
  afterAll(async () => {
    for (const f of running) await f.close();
    await cluster?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('two coordinators starting at once on an empty prefix make one CA and share the admin token', async () => {
    const [a, b] = await Promise.all([start(dataDir(), 'coord-a'), start(dataDir(), 'coord-b')]);
    expect(a.caPem).toBe(b.caPem);
    expect(a.adminToken).toBe(b.adminToken);
    for (const f of [a, b]) {
      expect(statSync(join(f.dataDir, 'admin.token')).mode & 0o777).toBe(0o600);
      // No CA key is kept locally: the CA lives in etcd.
      expect(() => statSync(join(f.dataDir, 'ca.key'))).toThrow(/ENOENT/);
    }
    // Each has its own server certificate, for its own names, from the one CA.
    const ca = new X509Certificate(a.caPem);
    const certA = new X509Certificate(readFileSync(join(a.dataDir, 'server.crt')));
    const certB = new X509Certificate(readFileSync(join(b.dataDir, 'server.crt')));
    expect(certA.subjectAltName).toContain('DNS:coord-a');
    expect(certB.subjectAltName).toContain('DNS:coord-b');
    expect(certA.verify(ca.publicKey) && certB.verify(ca.publicKey)).toBe(true);
    expect(certA.fingerprint256).not.toBe(certB.fingerprint256);
    // The token works on both (the CA checks both servers' certificates).
    expect((await b.admin.call('TenancyService', 'ListUsers', {})).users.map((u) => u.name)).toContain('admin');
    await a.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'sealed-1',
      arch: 'amd64',
      cores: 4,
      memoryMib: 4096,
      power: { driver: 'POWER_DRIVER_MANUAL', user: 'root', password: 'bmc-password-in-etcd-test' },
      ports: [{ mac: '52:54:00:aa:00:01' }],
    });
  }, 180_000);

  it('a later coordinator with only secrets.key loads the CA and the admin token from etcd', async () => {
    const [first] = running;
    const c = await start(dataDir(), 'coord-c');
    expect(c.caPem).toBe(first!.caPem);
    expect(c.adminToken).toBe(first!.adminToken);
    const listed = await c.admin.call('MachineService', 'ListMachines', {});
    expect(listed.machines.find((m) => m.hostname === 'sealed-1')?.power).toMatchObject({ hasPassword: true, password: '' });
  }, 120_000);

  it('stores nothing secret in clear text in etcd', async () => {
    const client = new Etcd3({ hosts: cluster.endpoints });
    try {
      const all = await client.getAll().prefix(`${prefix}/`).buffers();
      const raw = Buffer.concat(Object.entries(all).flatMap(([key, value]) => [Buffer.from(key), value]));
      expect(Object.keys(all).length).toBeGreaterThan(10);
      const [first] = running;
      const token = first!.adminToken;
      // mrt_<id>_<secret>: the secret is base64url, which may hold '_' itself.
      const tokenSecret = token.split('_').slice(2).join('_');
      for (const clear of ['PRIVATE KEY', token, tokenSecret, 'bmc-password-in-etcd-test']) expect(raw.includes(clear)).toBe(false);
      // The CA certificate is public and stored as it is: the raw read does find what it should.
      expect(raw.includes('BEGIN CERTIFICATE')).toBe(true);
    } finally {
      client.close();
    }
  });

  it('refuses a data dir holding another CA than the prefix uses, naming both', async () => {
    const dir = dataDir();
    const other = CertificateAuthority.generate(systemClock);
    writeFileSync(join(dir, 'ca.key'), other.keyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'ca.crt'), other.certPem);
    const shared = new X509Certificate(running[0]!.caPem).fingerprint256;
    await expect(start(dir, 'coord-d')).rejects.toThrow(
      new RegExp(
        `${join(dir, 'ca.crt')}: another CA .* than the one every coordinator on etcd prefix ${prefix} uses \\(SHA-256 ${shared}\\)`,
      ),
    );
  }, 60_000);
});
