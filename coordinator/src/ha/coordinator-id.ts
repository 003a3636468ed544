// Each coordinator's stable id: random on its first start, kept in <data-dir>/coordinator-id so a
// restart is the same coordinator (its registry entry, its duties' holder name). Not a secret.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoordinatorIdError } from './errors.js';

export const COORDINATOR_ID_FILE = 'coordinator-id';

const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** The id kept in `dataDir`, written first if there is none. */
export function coordinatorIdOf(dataDir: string): string {
  const path = join(dataDir, COORDINATOR_ID_FILE);
  if (existsSync(path)) {
    const id = readFileSync(path, 'utf8').trim();
    if (!ID_PATTERN.test(id)) throw new CoordinatorIdError(path, 'does not hold an id (8 to 64 of A-Z a-z 0-9 _ -)');
    return id;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const id = `c-${randomBytes(6).toString('hex')}`;
  writeFileSync(path, `${id}\n`, { mode: 0o600, flag: 'wx' });
  return id;
}
