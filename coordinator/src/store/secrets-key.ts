// The key that seals stored secrets (BMC passwords), kept apart from the database: a copied
// coordinator.mdb alone reveals no password. The key is 32 random bytes written as 64 hex digits
// in `<data-dir>/secrets.key` (mode 0600), or, under systemd, the credential
// `mooring-secrets-key` (LoadCredential=/SetCredentialEncrypted=; found in $CREDENTIALS_DIRECTORY).
// Sealing is AES-256-GCM with a fresh 96-bit nonce per record and the row's key as additional
// data, so a sealed record moved to another machine's row fails to open instead of lying.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretsKeyError } from './errors.js';

export const SECRETS_KEY_FILE = 'secrets.key';
export const SECRETS_KEY_CREDENTIAL = 'mooring-secrets-key';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Where the key is read from: the systemd credential when one is provided, else the data dir. */
export function secretsKeyPath(dataDir: string, credentialsDirectory: string | null): string {
  if (credentialsDirectory) {
    const credential = join(credentialsDirectory, SECRETS_KEY_CREDENTIAL);
    if (existsSync(credential)) return credential;
  }
  return join(dataDir, SECRETS_KEY_FILE);
}

/** The key in `file`, or null when there is no such file. */
export function readSecretsKey(file: string): Buffer | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text))
    throw new SecretsKeyError(file, 'not a secrets key (expected 64 hex digits, as `openssl rand -hex 32` prints)');
  return Buffer.from(text, 'hex');
}

/** Writes a new random key to `file` (mode 0600); never over an existing one. */
export function createSecretsKey(file: string): Buffer {
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

export class SecretCipher {
  /** A value derived from the key and stored in the database, to tell the right key from another. */
  readonly check: string;

  constructor(private readonly key: Buffer) {
    this.check = createHmac('sha256', key).update('mooring secrets key check').digest('hex').slice(0, 32);
  }

  /** nonce | tag | ciphertext of `plaintext`, bound to `rowKey`. */
  seal(plaintext: string, rowKey: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(rowKey));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), body]);
  }

  /** The plaintext of a sealed value; throws when it was not sealed under this key for `rowKey`. */
  open(sealed: Uint8Array, rowKey: string): string {
    const bytes = Buffer.from(sealed);
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(rowKey));
    decipher.setAuthTag(bytes.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
