// The coordinator's own TLS certificate, kept in the data dir (server.key mode 0600) and reissued
// when the configured names change, it comes within 30 days of expiry, or its key is not the
// ECDSA key issueServer now gives (an RSA key from an earlier version costs more per handshake).
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CertificateAuthority, IssuedCertificate } from './certificate-authority.js';

const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
const VALIDITY_DAYS = 397;

/** Whether the certificate names exactly `names` (DNS names and IP addresses, in any order or spelling). */
function namesExactly(cert: X509Certificate, names: readonly string[]): boolean {
  const held = (cert.subjectAltName ?? '').split(', ').filter((name) => name !== '');
  const wanted = [...new Set(names)];
  if (held.length !== wanted.length) return false;
  return wanted.every((name) =>
    isIP(name) !== 0 ? cert.checkIP(name) !== undefined : cert.checkHost(name, { wildcards: false }) !== undefined,
  );
}

export function ensureServerCertificate(
  ca: CertificateAuthority,
  dir: string,
  names: readonly string[],
  clock: Clock,
  logger: Logger,
): IssuedCertificate {
  const keyPath = join(dir, 'server.key');
  const certPath = join(dir, 'server.crt');
  if (existsSync(keyPath) && existsSync(certPath)) {
    const current = { keyPem: readFileSync(keyPath, 'utf8'), certPem: readFileSync(certPath, 'utf8') };
    const cert = new X509Certificate(current.certPem);
    const fresh = Date.parse(cert.validTo) - clock.now() > RENEW_BEFORE_MS;
    const sameNames = namesExactly(cert, names);
    const ecdsa = cert.publicKey.asymmetricKeyType === 'ec';
    if (fresh && sameNames && ecdsa && ca.verifies(current.certPem)) return current;
  }
  const issued = ca.issueServer(names, VALIDITY_DAYS);
  writeFileSync(keyPath, issued.keyPem, { mode: 0o600 });
  writeFileSync(certPath, issued.certPem, { mode: 0o644 });
  logger.info({ names }, 'server certificate issued');
  return issued;
}
