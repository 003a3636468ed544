// First start of a coordinator: the default pool and the bootstrap admin with its token in
// <data-dir>/admin.token. On etcd the token is also stored sealed (store/secret-admin-token.ts) for
// the other coordinators, and a coordinator that lost the race to create the admin takes the
// winner's token.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Coordinator } from '../coordinator.js';
import { SharedAdminToken } from '../store/secret-admin-token.js';
import { AlreadyExistsError } from './errors.js';
import { SYSTEM_PRINCIPAL } from './user.js';

export const BOOTSTRAP_ADMIN = 'admin';
/** How long a coordinator that lost the race to create the bootstrap admin waits for the winner's token. */
const SHARED_TOKEN_WAIT_MS = 30_000;

export async function bootstrapAdmin(c: Pick<Coordinator, 'store' | 'config' | 'logger' | 'pools' | 'users' | 'tokens'>): Promise<void> {
  const { store, config, logger } = c;
  const shared = config.store.type === 'etcd' ? new SharedAdminToken(store, `etcd prefix ${config.store.prefix}`, logger) : null;
  const raced = (error: unknown): void => {
    if (!(shared && error instanceof AlreadyExistsError)) throw error;
  };
  await c.pools.ensureDefault(SYSTEM_PRINCIPAL).catch(raced);
  const tokenPath = join(config.dataDir, 'admin.token');
  if (!c.users.isEmpty()) {
    // The admin may exist while its creator has yet to publish the token (two coordinators
    // starting at once): without a local copy, wait for it as the loser of the race does.
    if (shared && !existsSync(tokenPath)) {
      const token = shared.current() ?? (await shared.await(SHARED_TOKEN_WAIT_MS));
      if (!shared.writeLocalCopy(tokenPath, token))
        logger.warn({ tokenPath }, 'the bootstrap admin exists but its token was not in etcd within 30 s; no local copy written');
    }
    return;
  }
  const created = await c.users.createUser(SYSTEM_PRINCIPAL, BOOTSTRAP_ADMIN, 'admin').then(() => true, raced);
  if (!created && shared) {
    if (!shared.writeLocalCopy(tokenPath, await shared.await(SHARED_TOKEN_WAIT_MS)))
      logger.warn({ tokenPath }, 'another coordinator created the bootstrap admin; its token was not stored within 30 s');
    return;
  }
  const { secret } = await c.tokens.create(SYSTEM_PRINCIPAL, { user: BOOTSTRAP_ADMIN, description: 'bootstrap', expiresInSeconds: 0 });
  await shared?.publish(secret);
  writeFileSync(tokenPath, `${secret}\n`, { mode: 0o600, flag: existsSync(tokenPath) ? 'w' : 'wx' });
  c.logger.info({ tokenPath }, 'bootstrap admin token written');
}
