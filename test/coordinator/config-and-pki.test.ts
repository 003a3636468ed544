// Options compiled once (file < MOORING_* env < flags -> frozen config), and the coordinator's CA
// (node-forge): server certificates (ECDSA) that verify against it, CSR signing for agents, reload.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../coordinator/src/clock.js';
import { ConfigError, loadConfig } from '../../coordinator/src/config.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { CertificateAuthority } from '../../coordinator/src/pki/certificate-authority.js';
import { readCsr } from '../../coordinator/src/pki/csr-reader.js';
import { ensureServerCertificate } from '../../coordinator/src/pki/server-certificate.js';

const dir = mkdtempSync(join(tmpdir(), 'mooring-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config', () => {
  it('layers defaults, file, environment and flags, and freezes the result', () => {
    const file = join(dir, 'coordinator.yaml');
    writeFileSync(file, 'dataDir: /from/file\nlisten: 10.0.0.1:7000\nlogLevel: debug\nserverNames: [coord.example]\n');
    const config = loadConfig({
      flags: { config: file, listen: '127.0.0.1:9443' },
      env: { MOORING_DATA_DIR: '/from/env', MOORING_POWER_TIMEOUT_MS: '1500' },
    });
    expect(config).toEqual({
      dataDir: '/from/env',
      store: { type: 'lmdb', dir: '/from/env' },
      listen: { host: '127.0.0.1', port: 9443 },
      serverNames: ['coord.example'],
      logLevel: 'debug',
      powerTimeoutMs: 1500,
      heartbeatIntervalMs: 5000,
      leaseTtlSeconds: 10,
      etcdCompactIntervalSeconds: 300,
      eventRetentionDays: 90,
      eventRetentionMax: 250_000,
      heartbeatDeadlineMs: 15000,
      agentCertValidityDays: 30,
      agentSessionTimeoutMs: 600_000,
      portActiveTimeoutMs: 120_000,
      powerConcurrency: 16,
      ipmiSessionIdleMs: 20_000,
      powerSyncIntervalMs: 300_000,
      powerSyncConcurrency: 8,
      ovnNorthbound: null,
      ovnSouthbound: null,
      ovnOwner: 'mooring',
      ovnTls: null,
      provisioning: null,
      metricsListen: { host: '127.0.0.1', port: 9181 },
      consoleListen: { host: '127.0.0.1', port: 7480 },
      redfishTls: { verify: 'system-cas' },
      bootListen: null,
      bootUrl: null,
      imageMaxBytes: 32 * 1024 ** 3,
      imageDeploy: { ramdiskTimeoutMs: 3_600_000, firstBootTimeoutMs: 1_200_000, releaseErase: 'quick' },
      ramdiskDir: null,
    });
    expect(Object.isFrozen(config)).toBe(true);
    const defaults = loadConfig({ flags: {}, env: {} });
    expect(defaults.dataDir).toBe('/var/lib/mooring/coordinator');
    expect(defaults.listen).toEqual({ host: '0.0.0.0', port: 7443 });
    expect(defaults.serverNames).toEqual(expect.arrayContaining(['localhost', '127.0.0.1']));
  });

  it('names the bad key and where it came from', () => {
    expect(() => loadConfig({ flags: { listen: 'nope' }, env: {} })).toThrow(new ConfigError('flags: listen: expected HOST:PORT'));
    expect(() => loadConfig({ flags: {}, env: { MOORING_LOG_LEVEL: 'loud' } })).toThrow(/^environment: logLevel: /);
    expect(() => loadConfig({ flags: {}, env: { MOORING_POWER_SYNC_INTERVAL_MS: '500' } })).toThrow(
      new ConfigError('environment: powerSyncIntervalMs: expected 0 (off) or at least 1000'),
    );
    expect(loadConfig({ flags: {}, env: { MOORING_POWER_SYNC_INTERVAL_MS: '0' } }).powerSyncIntervalMs).toBe(0);
    expect(() => loadConfig({ flags: { ipmiSessionIdleMs: 90_000 }, env: {} })).toThrow(/^flags: ipmiSessionIdleMs: /);
    expect(() => loadConfig({ flags: {}, env: { MOORING_EVENT_RETENTION_MAX: '500' } })).toThrow(
      new ConfigError('environment: eventRetentionMax: expected 0 (no limit) or at least 1000'),
    );
    expect(loadConfig({ flags: { eventRetentionDays: 0 }, env: { MOORING_EVENT_RETENTION_MAX: '0' } })).toMatchObject({
      eventRetentionDays: 0,
      eventRetentionMax: 0,
    });
    expect(loadConfig({ flags: {}, env: { MOORING_IPMI_SESSION_IDLE_MS: '5000' } }).ipmiSessionIdleMs).toBe(5000);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'dataDir: /x\nlistn: 1.2.3.4:5\n');
    expect(() => loadConfig({ flags: { config: file }, env: {} })).toThrow(/bad\.yaml: .*listn/);
  });
});

describe('certificate authority', () => {
  const clock = new ManualClock(Date.now());
  const logger = createLogger('silent');

  it('creates its CA once, with a private key only the owner can read', () => {
    const ca = CertificateAuthority.loadOrCreate(dir, clock, logger);
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    const again = CertificateAuthority.loadOrCreate(dir, clock, logger);
    expect(again.certPem).toBe(ca.certPem);
    const x509 = new X509Certificate(ca.certPem);
    expect(x509.ca).toBe(true);
    expect(x509.checkIssued(x509)).toBe(true);
  });

  it('issues a server certificate for the configured names and reuses it until they change', () => {
    const ca = CertificateAuthority.loadOrCreate(dir, clock, logger);
    const first = ensureServerCertificate(ca, dir, ['coord.example', '127.0.0.1'], clock, logger);
    const cert = new X509Certificate(first.certPem);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.checkHost('coord.example')).toBe('coord.example');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(statSync(join(dir, 'server.key')).mode & 0o777).toBe(0o600);
    expect(ensureServerCertificate(ca, dir, ['127.0.0.1', 'coord.example'], clock, logger).certPem).toBe(first.certPem);
    expect(ensureServerCertificate(ca, dir, ['other.example'], clock, logger).certPem).not.toBe(first.certPem);
  });

  it('gives the server an ECDSA P-256 key and replaces an RSA one left by an earlier version', async () => {
    const ca = CertificateAuthority.loadOrCreate(dir, clock, logger);
    const issued = ensureServerCertificate(ca, dir, ['coord.example', '127.0.0.1', '::1'], clock, logger);
    const cert = new X509Certificate(issued.certPem);
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(cert.checkPrivateKey(createPrivateKey(issued.keyPem))).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    expect(cert.checkIP('::1')).toBe('::1');
    // Every length of certificate makes a PEM OpenSSL loads (a DER of a multiple of 48 bytes once
    // left an empty line before the END line, which it refused).
    const ders = new Set<number>();
    for (let k = 1; k <= 48; k++) {
      const pem = ca.issueServer([`h${'a'.repeat(k)}.example`], 30);
      ders.add(new X509Certificate(pem.certPem).raw.length % 48);
      expect(() => tls.createSecureContext({ key: pem.keyPem, cert: pem.certPem })).not.toThrow();
    }
    expect(ders.has(0)).toBe(true);
    // The same names in another spelling and order: kept.
    expect(ensureServerCertificate(ca, dir, ['::0:1', '127.0.0.1', 'COORD.example'], clock, logger).certPem).toBe(issued.certPem);
    // A TLS server on it, verified against the CA by a client.
    const server = tls.createServer({ key: issued.keyPem, cert: issued.certPem }, (socket) => socket.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ca: ca.certPem, servername: 'coord.example' }, () => undefined);
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        socket.on('end', () => resolve(text)).on('error', reject);
      });
      expect(reply).toBe('ok');
    } finally {
      server.close();
    }
    // An RSA server certificate from before: reissued on ECDSA at the next start.
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    const old = forge.pki.createCertificate();
    old.publicKey = keys.publicKey;
    old.serialNumber = '01';
    old.validity.notBefore = new Date(clock.now() - 60_000);
    old.validity.notAfter = new Date(clock.now() + 100 * 24 * 3600 * 1000);
    old.setSubject([{ name: 'commonName', value: 'coord.example' }]);
    old.setIssuer([{ name: 'commonName', value: 'Mooring coordinator CA' }]);
    old.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: 'coord.example' }] }]);
    old.sign(forge.pki.privateKeyFromPem(readFileSync(join(dir, 'ca.key'), 'utf8')), forge.md.sha256.create());
    writeFileSync(join(dir, 'server.key'), forge.pki.privateKeyToPem(keys.privateKey), { mode: 0o600 });
    writeFileSync(join(dir, 'server.crt'), forge.pki.certificateToPem(old));
    expect(ca.verifies(forge.pki.certificateToPem(old))).toBe(true);
    const again = ensureServerCertificate(ca, dir, ['coord.example'], clock, logger);
    expect(new X509Certificate(again.certPem).publicKey.asymmetricKeyType).toBe('ec');
    expect(readFileSync(join(dir, 'server.crt'), 'utf8')).toBe(again.certPem);
  });

  it('signs an agent CSR with the agent id as subject, for client authentication', () => {
    const ca = CertificateAuthority.loadOrCreate(dir, clock, logger);
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = keys.publicKey;
    csr.setSubject([{ name: 'commonName', value: 'whatever-the-agent-asked' }]);
    csr.sign(keys.privateKey, forge.md.sha256.create());
    const signed = ca.signCsr(readCsr(forge.pki.certificationRequestToPem(csr)), 'agent-dpu-7', 30);
    const pem = signed.certPem;
    const cert = new X509Certificate(pem);
    expect(signed.serial).toBe(cert.serialNumber.toLowerCase().replace(/^0+/, ''));
    expect(signed.notAfter).toBe(Date.parse(cert.validTo));
    expect(cert.subject).toBe('CN=agent-dpu-7');
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2'); // clientAuth
    expect(ca.verifies(pem)).toBe(true);
    clock.advance(31 * 24 * 3600 * 1000);
    expect(ca.verifies(pem)).toBe(false);
    expect(() => readCsr('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----')).toThrow(/^csr: cannot parse/);
  });
});
