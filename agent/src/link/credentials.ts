// The agent's identity on disk: its private key (mode 0600), the certificate the coordinator
// signed (subject CN = agent id) and the coordinator's CA. Each file is replaced atomically (write
// a temporary file, then rename), and a new set is first staged whole as *.next files: several
// renames cannot be one atomic step, so a crash between them is finished by recoverStaged() at the
// next start instead of leaving a key beside another key's certificate.

import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';

export interface Credentials {
  agentId: string;
  keyPem: string;
  certPem: string;
  caPem: string;
  notBefore: Date;
  notAfter: Date;
}

export interface KeyAndCsr {
  keyPem: string;
  csrPem: string;
}

export class CredentialFiles {
  constructor(readonly dataDir: string) {}

  get keyPath(): string {
    return path.join(this.dataDir, 'agent.key');
  }

  get certPath(): string {
    return path.join(this.dataDir, 'agent.crt');
  }

  get caPath(): string {
    return path.join(this.dataDir, 'coordinator-ca.crt');
  }

  exists(): boolean {
    return existsSync(this.keyPath) && existsSync(this.certPath) && existsSync(this.caPath);
  }

  async load(): Promise<Credentials> {
    const [keyPem, certPem, caPem] = await Promise.all([this.keyPath, this.certPath, this.caPath].map((p) => readFile(p, 'utf8')));
    return describe(keyPem!, certPem!, caPem!);
  }

  /**
   * Stores key, certificate and CA. The three are staged whole first (the certificate last: a staged
   * certificate means the set is complete), then renamed into place; recoverStaged() finishes a
   * save that a crash interrupted.
   */
  async save(keyPem: string, certPem: string, caPem: string): Promise<Credentials> {
    const creds = describe(keyPem, certPem, caPem);
    await replaceFile(staged(this.caPath), caPem, 0o644);
    await replaceFile(staged(this.keyPath), keyPem, 0o600);
    await replaceFile(staged(this.certPath), certPem, 0o644);
    for (const file of [this.caPath, this.keyPath, this.certPath]) await rename(staged(file), file);
    return creds;
  }

  /**
   * Finishes a save interrupted by a crash. A staged certificate means the whole set was staged
   * before it: rename what is still staged into place. Without one the save never completed, the
   * previous files are still whole (or absent, before the first enrollment), and the leftovers are
   * overwritten by the next save. Returns whether a save was finished.
   */
  recoverStaged(): boolean {
    if (!existsSync(staged(this.certPath))) return false;
    for (const file of [this.caPath, this.keyPath, this.certPath]) if (existsSync(staged(file))) renameSync(staged(file), file);
    return true;
  }
}

function staged(file: string): string {
  return `${file}.next`;
}

export async function replaceFile(file: string, content: string, mode: number): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode); // the umask must not widen or narrow what we asked for
  await rename(tmp, file);
}

export function describe(keyPem: string, certPem: string, caPem: string): Credentials {
  const cert = new X509Certificate(certPem);
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
  if (!cn) throw new Error('agent certificate has no subject common name');
  return { agentId: cn, keyPem, certPem, caPem, notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) };
}

/** A new RSA key (generated natively: fast) and a CSR for it, built and signed with node-forge. */
export function newKeyAndCsr(agentId: string): KeyAndCsr {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  csr.setSubject([{ name: 'commonName', value: agentId }]);
  csr.sign(key, forge.md.sha256.create());
  return { keyPem, csrPem: forge.pki.certificationRequestToPem(csr) };
}
