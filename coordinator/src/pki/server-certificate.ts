// The coordinator's own TLS certificate, kept in the data dir (server.key mode 0600) and reissued
// when the configured names change or it comes within 30 days of expiry.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CertificateAuthority, IssuedCertificate } from './certificate-authority.js';

const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
const VALIDITY_DAYS = 397;

function altNames(certPem: string): string[] {
  const cert = forge.pki.certificateFromPem(certPem);
  const extension: { altNames?: { value?: string; ip?: string }[] } | undefined = cert.getExtension('subjectAltName');
  return (extension?.altNames ?? []).map((name) => name.ip ?? name.value ?? '').sort();
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
    const cert = forge.pki.certificateFromPem(current.certPem);
    const fresh = cert.validity.notAfter.getTime() - clock.now() > RENEW_BEFORE_MS;
    const sameNames = altNames(current.certPem).join(',') === [...names].sort().join(',');
    if (fresh && sameNames && ca.verifies(current.certPem)) return current;
  }
  const issued = ca.issueServer(names, VALIDITY_DAYS);
  writeFileSync(keyPath, issued.keyPem, { mode: 0o600 });
  writeFileSync(certPath, issued.certPem, { mode: 0o644 });
  logger.info({ names }, 'server certificate issued');
  return issued;
}
