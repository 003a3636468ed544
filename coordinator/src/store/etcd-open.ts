// Opens the etcd store for a coordinator from its configured location: the TLS files read now,
// the secrets key from the data dir or $CREDENTIALS_DIRECTORY (created on a first start). Every
// coordinator on one prefix must hold the same secrets key: the store refuses a prefix whose
// secrets are sealed under another (EtcdPrefixError). Sharing the key through etcd, encrypted, is
// not done yet: copy the key file to each coordinator.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { EtcdStore } from './etcd-store.js';
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
  return EtcdStore.open({ endpoints: location.endpoints, tls, prefix: location.prefix, cipher: new SecretCipher(key), logger, clock });
}
