// Sealing the plaintext secrets an older coordinator stored. Sealing a row in place is not enough:
// LMDB copies a page on write and only frees the old one, so the plaintext would stay in the file
// (in free pages) until those pages are reused. So after sealing, the database is replaced by a
// compacted copy (mdb_env_copy with MDB_CP_COMPACT writes live pages only) before the store opens it.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import type { Logger } from '../logger.js';
import { DATABASE_FILE, inspectDataDir } from './data-dir.js';
import { countPlaintextSecrets, sealPlaintextSecrets } from './secret-table.js';
import { loadCipher } from './store.js';
import { RecordStructures } from './record-structures.js';
import { openTables } from './tables.js';

/** Seals and compacts away every plaintext secret in `dataDir`'s database; returns how many it sealed. */
export async function sealLegacySecrets(dataDir: string, credentialsDirectory: string | null, logger: Logger): Promise<number> {
  if (inspectDataDir(dataDir) === 'first-start') return 0;
  const path = join(dataDir, DATABASE_FILE);
  const root = open({ path, maxDbs: 32, compression: false, noSync: false, ...{ permissionsMode: 0o600 } });
  let sealed = 0;
  const compacted = `${path}.compacting`;
  try {
    const tables = openTables(RecordStructures.open(root).opener());
    if (countPlaintextSecrets(tables) === 0) return 0;
    const cipher = loadCipher(dataDir, tables, credentialsDirectory);
    sealed = await root.transaction(() => {
      tables.meta.putSync('secretsKeyCheck', cipher.check);
      return sealPlaintextSecrets(tables, cipher);
    });
    rmSync(compacted, { force: true });
    await root.backup(compacted, true);
  } finally {
    await root.close();
  }
  if (existsSync(compacted)) {
    renameSync(compacted, path);
    rmSync(`${path}-lock`, { force: true });
    logger.info(
      { secrets: sealed },
      'sealed the plaintext secrets an older coordinator stored, and compacted the database so no copy of them remains',
    );
  }
  return sealed;
}
