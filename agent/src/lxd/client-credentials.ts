// This host's credentials for LXD's HTTPS API: a client key (mode 0600) and certificate, and the
// pinned server certificate, in DATA_DIR/lxd/ by default. The key and certificate are generated
// here (the key natively, the self-signed certificate with node-forge) or imported; a key that is
// protected by a passphrase is refused, since the daemon could not unlock it unattended.

import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import forge from 'node-forge';
import { replaceFile } from '../link/credentials.js';
import { certificateFingerprint, type HttpsEndpoint } from './endpoint.js';
import { LxdCredentialsError } from './errors.js';

export interface CredentialPaths {
  certFile: string;
  keyFile: string;
  serverCertFile: string;
}

export interface ClientIdentity {
  certPem: string;
  fingerprint: string;
}

/** A new RSA key and a self-signed client certificate (10 years, clientAuth) for commonName. */
export function generateClientCertificate(commonName: string, now = new Date()): { keyPem: string; certPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 86_400_000);
  // UTF8String: forge writes PrintableString by default, which cannot hold '@' (mooring@host), and
  // LXD's Go TLS stack rejects such a certificate outright ("bad certificate").
  const utf8 = forge.asn1.Type.UTF8 as number;
  const subject = [
    { name: 'commonName', value: commonName, valueTagClass: utf8 },
    { name: 'organizationName', value: 'Mooring', valueTagClass: utf8 },
  ] as forge.pki.CertificateField[];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

/**
 * Checks an imported pair: the key is PEM without a passphrase, the certificate is PEM, and they
 * belong together. Throws LxdCredentialsError naming what is wrong.
 */
export function checkKeyPair(keyPem: string, certPem: string): void {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(keyPem)) {
    throw new LxdCredentialsError(
      'the private key is protected by a passphrase; the agent runs unattended and cannot unlock it. Decrypt it first (openssl pkey ' +
        '-in KEY -out PLAIN.key) or generate a new key',
    );
  }
  let publicOfKey: string;
  try {
    publicOfKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'pem' }).toString();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MISSING_PASSPHRASE')
      throw new LxdCredentialsError('the private key is protected by a passphrase; decrypt it first or generate a new key');
    throw new LxdCredentialsError(`the private key is not a PEM private key (${(err as Error).message})`);
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new LxdCredentialsError(`the certificate is not a PEM certificate (${(err as Error).message})`);
  }
  if (cert.publicKey.export({ type: 'spki', format: 'pem' }).toString() !== publicOfKey) {
    throw new LxdCredentialsError('the certificate does not belong to the private key (their public keys differ)');
  }
}

export class LxdCredentialFiles {
  constructor(readonly paths: CredentialPaths) {}

  hasClientCertificate(): boolean {
    return existsSync(this.paths.certFile) && existsSync(this.paths.keyFile);
  }

  /** Generates a key and certificate; refuses to replace existing ones unless force. */
  async generate(commonName: string, force = false): Promise<ClientIdentity> {
    if (!force && this.hasClientCertificate())
      throw new LxdCredentialsError(`${this.paths.certFile} exists already; pass --force to replace it`);
    const { keyPem, certPem } = generateClientCertificate(commonName);
    return this.store(keyPem, certPem);
  }

  async import(keyPem: string, certPem: string): Promise<ClientIdentity> {
    checkKeyPair(keyPem, certPem);
    return this.store(keyPem, certPem);
  }

  async identity(): Promise<ClientIdentity> {
    const certPem = await this.read(this.paths.certFile, 'client certificate');
    return { certPem, fingerprint: certificateFingerprint(certPem) };
  }

  async saveServerCertificate(pem: string): Promise<void> {
    certificateFingerprint(pem);
    await this.ensureDir(this.paths.serverCertFile);
    await replaceFile(this.paths.serverCertFile, pem, 0o644);
  }

  /** The HTTPS endpoint for url with this host's credentials; every file must exist. */
  async endpoint(url: string): Promise<HttpsEndpoint> {
    const [certPem, keyPem, serverCertPem] = await Promise.all([
      this.read(this.paths.certFile, 'client certificate'),
      this.read(this.paths.keyFile, 'client key'),
      this.read(this.paths.serverCertFile, "LXD's server certificate"),
    ]);
    checkKeyPair(keyPem, certPem);
    return { kind: 'https', url, certPem, keyPem, serverCertPem };
  }

  private async store(keyPem: string, certPem: string): Promise<ClientIdentity> {
    await this.ensureDir(this.paths.keyFile);
    await this.ensureDir(this.paths.certFile);
    await replaceFile(this.paths.keyFile, keyPem, 0o600);
    await replaceFile(this.paths.certFile, certPem, 0o644);
    return { certPem, fingerprint: certificateFingerprint(certPem) };
  }

  private async ensureDir(file: string): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  }

  private async read(file: string, what: string): Promise<string> {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      const hint =
        what === "LXD's server certificate"
          ? 'trust LXD first (mooring-agent lxd trust)'
          : 'generate or import one (mooring-agent lxd init-cert | import-cert)';
      throw new LxdCredentialsError(`${what} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${hint}`);
    }
  }
}

/** The certificate the server at url presents, read without trusting it (the caller pins or compares it). */
export function fetchServerCertificate(url: string, timeoutMs = 10_000): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: u.hostname, port: Number(u.port || 8443), rejectUnauthorized: false });
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake with ${u.host} within ${timeoutMs} ms`)), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (cert) resolve(cert.toString());
      else reject(new LxdCredentialsError(`${u.host} presented no certificate`));
    });
    socket.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
