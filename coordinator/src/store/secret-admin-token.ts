// The bootstrap admin token of coordinators sharing an etcd prefix. The coordinator that creates
// the bootstrap admin stores the token sealed with the secrets key (secret-records.ts); every other
// coordinator on the prefix writes it to its own <data-dir>/admin.token (mode 0600) when that file
// is missing, so an operator finds it on whichever host runs moorctl. A coordinator that lost the
// race to create the admin (two starting at once on an empty prefix) waits for the winner's token.
import { existsSync, writeFileSync } from 'node:fs';
import type { Logger } from '../logger.js';
import { isSharedAdminToken, openAdminToken, SHARED_ADMIN_TOKEN, sealAdminToken, SharedSecretError } from './secret-records.js';
import type { StoreBackend } from './store-backend.js';

export class SharedAdminToken {
  constructor(
    private readonly store: StoreBackend,
    /** The prefix, for messages ("etcd prefix /mooring"). */
    private readonly where: string,
    private readonly logger: Logger,
  ) {}

  /** Stores `token` sealed (the creator of the bootstrap admin calls this once). */
  async publish(token: string): Promise<void> {
    const record = sealAdminToken(this.store.cipher, token);
    await this.store.write(() => this.store.tables.meta.putSync(SHARED_ADMIN_TOKEN, record));
  }

  /** The stored token, or null when none is stored. */
  current(): string | null {
    const record = this.store.tables.meta.get(SHARED_ADMIN_TOKEN);
    if (record === undefined) return null;
    if (!isSharedAdminToken(record)) throw new SharedSecretError(this.where, `the ${SHARED_ADMIN_TOKEN} record is not a sealed token`);
    return openAdminToken(this.store.cipher, record, this.where);
  }

  /** The stored token once another coordinator has stored it (following the store's change feed), or null after `timeoutMs`. */
  async await(timeoutMs: number): Promise<string | null> {
    const feed = this.store.changes;
    if (!feed) return this.current();
    let stop = (): void => {};
    const stored = new Promise<void>((resolve) => {
      stop = feed.onPut('meta', (value) => isSharedAdminToken(value) && resolve());
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      if (this.current() !== null) return this.current();
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs).unref()));
      await Promise.race([stored, timedOut]);
      return this.current();
    } finally {
      stop();
      clearTimeout(timer);
    }
  }

  /** Writes `token` to `path` (0600) unless the file is there; says whether it wrote. */
  writeLocalCopy(path: string, token: string | null): boolean {
    if (token === null || existsSync(path)) return false;
    writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
    this.logger.info({ tokenPath: path, from: this.where }, 'bootstrap admin token written from the shared store');
    return true;
  }
}
