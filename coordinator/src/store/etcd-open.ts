// Opens the etcd store for a coordinator from its configured location: the TLS files read now (a
// failed handshake is reported as the TLS problem it is, etcd-tls-failure.ts),
// the secrets key from the data dir or $CREDENTIALS_DIRECTORY (created on a first start); while
// etcd does not answer (a member down, an election), opened again for a bounded time. Every
// coordinator on one prefix must hold the same secrets key: the store refuses a prefix whose
// secrets are sealed under another (EtcdPrefixError). It is the one file a coordinator needs: the
// CA and the bootstrap admin token are in etcd, sealed with it (store/secret-records.ts).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { EtcdStore } from './etcd-store.js';
import { EtcdUnavailableError } from './etcd-errors.js';
import { RetryBackoff, sleep } from './etcd-retry.js';
import { etcdTlsFailure } from './etcd-tls-failure.js';
import { createSecretsKey, readSecretsKey, SECRETS_KEY_FILE, SecretCipher, secretsKeyPath } from './secrets-key.js';
import type { StoreLocation } from './store-location.js';

/**
 * How long a start keeps opening the store while etcd does not answer: a read sent to a member
 * that is down (the client picks one) or during a leader election fails with a deadline, and a
 * new connection reaches another member. Each attempt opens a new client, whose choice of
 * members starts afresh.
 */
const OPEN_RETRY_MS = 20_000;

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
  const cipher = new SecretCipher(key);
  const backoff = new RetryBackoff(200, 2000);
  const until = clock.now() + OPEN_RETRY_MS;
  for (;;) {
    try {
      return await EtcdStore.open({
        endpoints: location.endpoints,
        tls,
        prefix: location.prefix,
        batchGatherMs: location.batchGatherMs,
        batchRejoinMs: location.batchRejoinMs,
        cipher,
        logger,
        clock,
      });
    } catch (error) {
      // A refused handshake is reported at once, from this attempt's own error: every later
      // attempt would fail the same way.
      const tlsError = etcdTlsFailure(error, location.endpoints, location.tls);
      if (tlsError) throw tlsError;
      if (!(error instanceof EtcdUnavailableError) || clock.now() >= until) throw error;
      logger.warn({ err: error.message }, 'opening the etcd store: etcd did not answer; trying again with a new connection');
      await sleep(backoff.next());
    }
  }
}
