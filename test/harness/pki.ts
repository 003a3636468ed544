// A throwaway PKI for TLS tests: a CA and certificates it signs, as PEM strings (RSA 2048, SHA-256).
// OVS requires mutual TLS (ssl remotes always ask for a client certificate), so tests need a CA, a
// server certificate for ovsdb-server and a client certificate for the agent.

import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';

const { pki } = forge;

export interface KeyAndCert {
  /** PKCS#1 RSA private key, PEM. */
  key: string;
  /** X.509 certificate, PEM. */
  cert: string;
}

export interface CertificateAuthority extends KeyAndCert {
  /** Issues a leaf certificate (usable for both TLS server and client auth) signed by this CA. */
  issue(commonName: string): KeyAndCert;
}

export interface PemFiles {
  keyFile: string;
  certFile: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function serial(): string {
  // Positive DER integer: keep the top bit of the first byte clear.
  return `01${randomBytes(8).toString('hex')}`;
}

function newCertificate(publicKey: forge.pki.PublicKey, commonName: string): forge.pki.Certificate {
  const cert = pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 30 * DAY_MS);
  cert.setSubject([
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'Mooring tests' },
  ]);
  return cert;
}

/** Creates a self-signed CA. */
export function createCa(commonName = 'Mooring test CA'): CertificateAuthority {
  const keys = pki.rsa.generateKeyPair({ bits: 2048 });
  const caCert = newCertificate(keys.publicKey, commonName);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(keys.privateKey, forge.md.sha256.create());
  const caKeyId = caCert.generateSubjectKeyIdentifier().getBytes();

  return {
    key: pki.privateKeyToPem(keys.privateKey),
    cert: pki.certificateToPem(caCert),
    issue(leafName: string): KeyAndCert {
      const leafKeys = pki.rsa.generateKeyPair({ bits: 2048 });
      const leaf = newCertificate(leafKeys.publicKey, leafName);
      leaf.setIssuer(caCert.subject.attributes);
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
          ],
        },
        { name: 'subjectKeyIdentifier' },
        { name: 'authorityKeyIdentifier', keyIdentifier: caKeyId },
      ]);
      leaf.sign(keys.privateKey, forge.md.sha256.create());
      return { key: pki.privateKeyToPem(leafKeys.privateKey), cert: pki.certificateToPem(leaf) };
    },
  };
}

/** Writes a key (mode 0600) and its certificate (0600 too: tests keep everything private) into dir. */
export async function writeKeyAndCert(dir: string, name: string, material: KeyAndCert): Promise<PemFiles> {
  const keyFile = path.join(dir, `${name}-privkey.pem`);
  const certFile = path.join(dir, `${name}-cert.pem`);
  await writeFile(keyFile, material.key, { mode: 0o600 });
  await writeFile(certFile, material.cert, { mode: 0o600 });
  return { keyFile, certFile };
}

/** Writes a PEM certificate (a CA's, say) to dir/name with mode 0600 and returns its path. */
export async function writePem(dir: string, name: string, pem: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, pem, { mode: 0o600 });
  return file;
}
