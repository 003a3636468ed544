// Opens the etcd store for a coordinator from its configured location: the TLS files read now (a
// failed handshake is reported as the TLS problem it is, etcd-tls-failure.ts),
// the secrets key from the data dir or $CREDENTIALS_DIRECTORY (created on a first start). Every
// coordinator on one prefix must hold the same secrets key: the store refuses a prefix whose
// secrets are sealed under another (EtcdPrefixError). It is the one file a coordinator needs: the
// CA and the bootstrap admin token are in etcd, sealed with it (store/secret-records.ts).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { EtcdStore } from './etcd-store.js';
import { etcdTlsFailure } from './etcd-tls-failure.js';
import { createSecretsKey, readSecretsKey, SECRETS_KEY_FILE, SecretCipher, secretsKeyPath } from './secrets-key.js';
import type { StoreLocation } from './store-location.js';

export async function openEtcdStore(
  location: Extract<StoreLocation, { type: 'etcd' }>,
  dataDir: string,
  credentialsDirectory: string | null,
  logger: Logger,
  clock: Clock,
): Promise<EtcdStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = readSecretsKey(secretsKeyPath(dataDir, credentialsDirectory)) ?? createSecretsKey(join(dataDir, SECRETS_KEY_FILE));
  const tls = location.tls
    ? {
        ca: readFileSync(location.tls.caFile),
        cert: location.tls.certFile === null ? null : readFileSync(location.tls.certFile),
        key: location.tls.keyFile === null ? null : readFileSync(location.tls.keyFile),
      }
    : null;
  try {
    return await EtcdStore.open({
      endpoints: location.endpoints,
      tls,
      prefix: location.prefix,
      cipher: new SecretCipher(key),
      logger,
      clock,
    });
  } catch (error) {
    throw etcdTlsFailure(error, location.endpoints, location.tls) ?? error;
  }
}
