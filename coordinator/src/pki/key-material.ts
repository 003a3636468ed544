// Start-time checks of the key material in the data dir. A key that does not parse, or does not
// belong to its certificate, is refused here with the file named: otherwise the coordinator would
// start and then reset every TLS connection (a garbage server.key), or sign agent certificates no
// agent can verify (a CA key that is not the CA certificate's).
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirDamagedError } from '../store/errors.js';

function readKey(file: string): KeyObject {
  try {
    return createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DataDirDamagedError(file, `not a readable PEM private key (${error instanceof Error ? error.message : String(error)})`);
  }
}

function readCertificate(file: string): X509Certificate {
  try {
    return new X509Certificate(readFileSync(file));
  } catch (error) {
    throw new DataDirDamagedError(file, `not a readable PEM certificate (${error instanceof Error ? error.message : String(error)})`);
  }
}

function checkPair(keyFile: string, certFile: string): X509Certificate {
  const key = readKey(keyFile);
  const cert = readCertificate(certFile);
  if (!cert.checkPrivateKey(key))
    throw new DataDirDamagedError(keyFile, `does not belong to ${certFile} (the key does not match the certificate's public key)`);
  return cert;
}

/** ca.key and ca.crt are there, parse and belong together; the certificate is a CA's. */
export function verifyCaFiles(dir: string): void {
  for (const name of ['ca.crt', 'ca.key']) {
    const file = join(dir, name);
    if (!existsSync(file))
      throw new DataDirDamagedError(file, 'missing: every agent certificate was issued by this CA, and a new CA would cut off every agent');
  }
  const cert = checkPair(join(dir, 'ca.key'), join(dir, 'ca.crt'));
  if (!cert.ca) throw new DataDirDamagedError(join(dir, 'ca.crt'), 'not a CA certificate');
}

/**
 * server.key and server.crt: both absent is fine (the server certificate is issued again from the
 * CA); otherwise both must be there, parse and belong together.
 */
export function verifyServerFiles(dir: string): void {
  const keyFile = join(dir, 'server.key');
  const certFile = join(dir, 'server.crt');
  const hasKey = existsSync(keyFile);
  const hasCert = existsSync(certFile);
  if (!hasKey && !hasCert) return;
  if (!hasKey) throw new DataDirDamagedError(keyFile, `missing while ${certFile} is present`);
  if (!hasCert) throw new DataDirDamagedError(certFile, `missing while ${keyFile} is present`);
  checkPair(keyFile, certFile);
}
