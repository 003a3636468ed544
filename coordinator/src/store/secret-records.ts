// Secrets every coordinator on a shared (etcd) store needs, kept in the meta table sealed with the
// secrets key (secrets-key.ts), so that a coordinator needs only secrets.key locally: the CA's key
// and certificate, and the bootstrap admin token. Each sealed value is bound to its meta key (the
// AES-GCM additional data), so a sealed CA key cannot be passed off as the admin token or back.
// The CA certificate is public and stored as it is; only the key is sealed.
import { StoreError } from './errors.js';
import type { SecretCipher } from './secrets-key.js';

/** Meta keys of the shared secrets. */
export const SHARED_CA = 'sharedCa';
export const SHARED_ADMIN_TOKEN = 'sharedAdminToken';

/** A shared secret that cannot be used as it is stored (it does not open, or a local copy disagrees). */
export class SharedSecretError extends StoreError {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = 'SharedSecretError';
  }
}

export interface SharedCaRecord {
  readonly certPem: string;
  /** The CA key's PEM, sealed. */
  readonly sealedKey: Uint8Array;
}

export interface SharedAdminTokenRecord {
  /** The bootstrap admin token (mrt_<id>_<secret>), sealed. */
  readonly sealedToken: Uint8Array;
}

export function sealCa(cipher: SecretCipher, material: { keyPem: string; certPem: string }): SharedCaRecord {
  return { certPem: material.certPem, sealedKey: cipher.seal(material.keyPem, `meta/${SHARED_CA}`) };
}

export function isSharedCa(value: unknown): value is SharedCaRecord {
  const record = value as Partial<SharedCaRecord> | null | undefined;
  return typeof record?.certPem === 'string' && record.sealedKey instanceof Uint8Array;
}

/** The CA's PEMs; SharedSecretError when the key does not open under `cipher`. */
export function openCa(cipher: SecretCipher, record: SharedCaRecord, where: string): { keyPem: string; certPem: string } {
  return { certPem: record.certPem, keyPem: openSealed(cipher, record.sealedKey, SHARED_CA, where) };
}

export function sealAdminToken(cipher: SecretCipher, token: string): SharedAdminTokenRecord {
  return { sealedToken: cipher.seal(token, `meta/${SHARED_ADMIN_TOKEN}`) };
}

export function isSharedAdminToken(value: unknown): value is SharedAdminTokenRecord {
  return (value as Partial<SharedAdminTokenRecord> | null | undefined)?.sealedToken instanceof Uint8Array;
}

export function openAdminToken(cipher: SecretCipher, record: SharedAdminTokenRecord, where: string): string {
  return openSealed(cipher, record.sealedToken, SHARED_ADMIN_TOKEN, where);
}

function openSealed(cipher: SecretCipher, sealed: Uint8Array, key: string, where: string): string {
  try {
    return cipher.open(sealed, `meta/${key}`);
  } catch (error) {
    throw new SharedSecretError(where, `the sealed ${key} record does not open with this secrets key (${(error as Error).message})`);
  }
}
