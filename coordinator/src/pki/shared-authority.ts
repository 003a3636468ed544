// The certificate authority of coordinators sharing an etcd prefix: one CA for all of them, kept in
// the prefix's meta table with its key sealed by the secrets key (store/secret-records.ts), so a
// coordinator needs only secrets.key locally. The first coordinator on an empty prefix stores the
// CA, and later ones load it. The store is guarded: the CA is put in a store write that reads the
// key first, so of two coordinators starting at once on an empty prefix one commits and the
// other's etcd Txn fails its compare, runs again, finds that CA and uses it: never two CAs.
//
// A data dir that already holds ca.key and ca.crt (a coordinator moved from LMDB, or one set up
// with copied files) offers that CA when the prefix has none, so its agents keep their
// certificates. Once the prefix has a CA, a local ca.crt must be that CA's (else the agents that
// trust it would be refused, silently): it is refused, naming both. ca.crt (public) is written to
// the data dir for operators (grpcurl -cacert, moorctl); ca.key never is.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { isSharedCa, openCa, sealCa, SHARED_CA, SharedSecretError, type SharedCaRecord } from '../store/secret-records.js';
import type { StoreBackend } from '../store/store-backend.js';
import { CertificateAuthority, type IssuedCertificate } from './certificate-authority.js';
import { verifyCaFiles } from './key-material.js';

/** The CA of the store's prefix, storing one (the data dir's, else a new one) when it has none. */
export async function loadOrCreateSharedAuthority(
  store: StoreBackend,
  where: string,
  dataDir: string,
  clock: Clock,
  logger: Logger,
): Promise<CertificateAuthority> {
  let stored = store.tables.meta.get(SHARED_CA);
  let outcome = 'loaded from the store';
  if (stored === undefined) {
    const local = localAuthority(dataDir);
    const offered = local ?? CertificateAuthority.generate(clock);
    const record = sealCa(store.cipher, offered);
    const won = await store.write(() => {
      const existing = store.tables.meta.get(SHARED_CA);
      if (existing !== undefined) return { record: existing, mine: false };
      store.tables.meta.putSync(SHARED_CA, record);
      return { record: record, mine: true };
    });
    stored = won.record;
    if (won.mine) outcome = local ? `adopted from ${join(dataDir, 'ca.key')} and stored` : 'created and stored';
    else outcome = 'loaded from the store (another coordinator stored it first)';
  }
  if (!isSharedCa(stored)) throw new SharedSecretError(where, `the ${SHARED_CA} record is not a sealed CA`);
  const material = openCa(store.cipher, stored, where);
  refuseOtherLocalCa(dataDir, stored, where);
  const certPath = join(dataDir, 'ca.crt');
  if (!existsSync(certPath)) writeFileSync(certPath, material.certPem, { mode: 0o644 });
  logger.info({ where, certPath }, `certificate authority ${outcome}`);
  return CertificateAuthority.fromPem(material, clock);
}

/** The data dir's CA when it holds both files (checked: they parse and belong together). */
function localAuthority(dataDir: string): IssuedCertificate | null {
  if (!existsSync(join(dataDir, 'ca.key')) || !existsSync(join(dataDir, 'ca.crt'))) return null;
  verifyCaFiles(dataDir);
  return { keyPem: readFileSync(join(dataDir, 'ca.key'), 'utf8'), certPem: readFileSync(join(dataDir, 'ca.crt'), 'utf8') };
}

function refuseOtherLocalCa(dataDir: string, stored: SharedCaRecord, where: string): void {
  const certPath = join(dataDir, 'ca.crt');
  if (!existsSync(certPath)) return;
  const local = new X509Certificate(readFileSync(certPath));
  const shared = new X509Certificate(stored.certPem);
  if (local.fingerprint256 === shared.fingerprint256) return;
  throw new SharedSecretError(
    certPath,
    `another CA (SHA-256 ${local.fingerprint256}) than the one every coordinator on ${where} uses (SHA-256 ` +
      `${shared.fingerprint256}); agents trusting this one would be refused. Remove ca.key and ca.crt from the data dir ` +
      '(the coordinator writes the shared ca.crt there) and give those agents the shared CA',
  );
}
