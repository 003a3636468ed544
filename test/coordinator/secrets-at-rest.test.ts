// BMC passwords at rest: sealed with AES-256-GCM under secrets.key, never in coordinator.mdb's
// bytes. A database an older coordinator left with plaintext rows is sealed and compacted at start
// (no plaintext left in its free pages either), and the passwords still read back.
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import type { Machine } from '../../coordinator/src/machines/machine.js';
import { sealLegacySecrets } from '../../coordinator/src/store/secret-sealing.js';
import { SecretTable } from '../../coordinator/src/store/secret-table.js';
import { Store } from '../../coordinator/src/store/store.js';

const logger = createLogger('silent');
const machine = (id: string): Machine => ({ id, power: { passwordFile: null } }) as unknown as Machine;

describe('secrets at rest', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-secrets-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('seals what it stores and reads it back; the key file is 0600', async () => {
    const dir = tempDir();
    const store = Store.open(dir, logger);
    const secrets = new SecretTable(store.tables, store.cipher);
    await store.write(() => secrets.setPassword('m-1', 'sealed-password-one'));
    expect(await secrets.password(machine('m-1'))).toBe('sealed-password-one');
    await store.close();
    expect(readFileSync(join(dir, 'coordinator.mdb')).includes(Buffer.from('sealed-password-one'))).toBe(false);
    expect(statSync(join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
  });

  it("seals an older coordinator's plaintext rows at start and leaves no copy of them in the file", async () => {
    const dir = tempDir();
    // An older coordinator's database: its tables, plaintext { password } rows, no secrets key.
    await Store.open(dir, logger).close();
    unlinkSync(join(dir, 'secrets.key'));
    const old = open({ path: join(dir, 'coordinator.mdb'), maxDbs: 32, compression: false });
    const meta = old.openDB({ name: 'meta' });
    const rows = old.openDB({ name: 'secrets' });
    await old.transaction(() => {
      meta.removeSync('secretsKeyCheck');
      for (let i = 0; i < 50; i++) rows.putSync(`m-${i}`, { password: `legacy-plaintext-${i}` });
    });
    await old.close();
    expect(readFileSync(join(dir, 'coordinator.mdb')).includes(Buffer.from('legacy-plaintext-7'))).toBe(true);

    expect(await sealLegacySecrets(dir, null, logger)).toBe(50);
    const bytes = readFileSync(join(dir, 'coordinator.mdb'));
    for (let i = 0; i < 50; i++) expect(bytes.includes(Buffer.from(`legacy-plaintext-${i}`))).toBe(false);
    const store = Store.open(dir, logger);
    try {
      const secrets = new SecretTable(store.tables, store.cipher);
      expect(await secrets.password(machine('m-7'))).toBe('legacy-plaintext-7');
      expect(await secrets.password(machine('m-49'))).toBe('legacy-plaintext-49');
    } finally {
      await store.close();
    }
  });

  it('reads the key from the systemd credential when one is provided', async () => {
    const dir = tempDir();
    const credentials = tempDir();
    const first = Store.open(dir, logger);
    const secrets = new SecretTable(first.tables, first.cipher);
    await first.write(() => secrets.setPassword('m-1', 'from-credential'));
    await first.close();
    // Move the key out of the data dir into a credential: the database alone no longer opens.
    const key = readFileSync(join(dir, 'secrets.key'));
    unlinkSync(join(dir, 'secrets.key'));
    expect(() => Store.open(dir, logger)).toThrow(/secrets.key: missing/);
    writeFileSync(join(credentials, 'mooring-secrets-key'), key, { mode: 0o400 });
    const second = Store.open(dir, logger, { credentialsDirectory: credentials });
    try {
      expect(await new SecretTable(second.tables, second.cipher).password(machine('m-1'))).toBe('from-credential');
    } finally {
      await second.close();
    }
  });
});
