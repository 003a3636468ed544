// First start or existing data? A data dir with none of the coordinator's files is a first start:
// the coordinator creates its CA, its database and the bootstrap admin token. Any of them present
// means the dir holds a fleet, and then every one that must be there is checked before anything is
// created or opened: a missing or damaged database never turns into an empty fleet with a new
// admin, a missing CA never into a new CA (which would cut off every enrolled agent).
//
// The database is checked by reading it (checkLmdbFile), not by opening it: lmdb-js maps the file,
// and a truncated or overwritten one kills the process (SIGBUS, SIGSEGV) instead of failing.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkLmdbFile } from '../../../proto/shared/lmdb-file-check.js';
import { DataDirDamagedError } from './errors.js';

export const DATABASE_FILE = 'coordinator.mdb';

/** Every file a coordinator keeps in its data dir; any of them present means existing data. */
export const DATA_DIR_FILES = [DATABASE_FILE, 'ca.key', 'ca.crt', 'server.key', 'server.crt', 'admin.token', 'secrets.key'] as const;

export type DataDirState = 'first-start' | 'existing';

/** Tells a first start from existing data; throws DataDirDamagedError naming the first damaged file. */
export function inspectDataDir(dataDir: string): DataDirState {
  if (!holdsData(dataDir)) return 'first-start';
  const present = new Set(readdirSync(dataDir));
  const database = join(dataDir, DATABASE_FILE);
  if (!present.has(DATABASE_FILE)) {
    const others = DATA_DIR_FILES.filter((name) => present.has(name)).join(', ');
    throw new DataDirDamagedError(database, `missing, while the data dir holds ${others}`);
  }
  checkDatabaseFile(database);
  return 'existing';
}

/** Whether any of the coordinator's files is in `dataDir` (by name only; nothing is read). */
export function holdsData(dataDir: string): boolean {
  if (!existsSync(dataDir)) return false;
  const present = new Set(readdirSync(dataDir));
  return DATA_DIR_FILES.some((name) => present.has(name));
}

/**
 * Throws DataDirDamagedError unless `file` is a whole, structurally sound LMDB file. `metaOnly`:
 * only its meta pages and length, which is safe while a coordinator writes to it.
 */
export function checkDatabaseFile(file: string, options: { metaOnly?: boolean } = {}): void {
  if (!statSync(file).isFile()) throw new DataDirDamagedError(file, 'not a regular file');
  const check = checkLmdbFile(file, options);
  if (!check.ok) throw new DataDirDamagedError(file, check.problem);
}
