// What a migration adds to the meta table beside the source's records: the data dir's CA and
// bootstrap admin token, sealed with the fleet's secrets key (secret-records.ts), so that
// coordinators started on the prefix need only secrets.key (pki/shared-authority.ts). Both come
// from files of the source data dir; a missing or damaged CA stops the migration before anything
// is written (every enrolled agent's certificate was issued by it).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyCaFiles } from '../pki/key-material.js';
import { MigrateSourceError } from './migrate-errors.js';
import type { SourceRecord } from './migrate-source.js';
import { sealAdminToken, sealCa, SHARED_ADMIN_TOKEN, SHARED_CA } from './secret-records.js';
import type { SecretCipher } from './secrets-key.js';

/** The sealed CA and (when the data dir has one) admin token records for the target's meta table. */
export function sharedSecretRecords(dir: string, cipher: SecretCipher): SourceRecord[] {
  try {
    verifyCaFiles(dir);
  } catch (error) {
    throw new MigrateSourceError(dir, `its CA cannot be copied: ${(error as Error).message.split('. ')[0]}`, { cause: error });
  }
  const ca = { keyPem: readFileSync(join(dir, 'ca.key'), 'utf8'), certPem: readFileSync(join(dir, 'ca.crt'), 'utf8') };
  const records: SourceRecord[] = [{ key: SHARED_CA, value: sealCa(cipher, ca) }];
  const tokenFile = join(dir, 'admin.token');
  if (existsSync(tokenFile)) {
    const token = readFileSync(tokenFile, 'utf8').trim();
    if (token) records.push({ key: SHARED_ADMIN_TOKEN, value: sealAdminToken(cipher, token) });
  }
  return records;
}
