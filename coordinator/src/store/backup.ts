// `mooring-coordinator backup --to FILE` and `restore --from FILE`.
//
// A backup is a tar file (made and read by tar(1)) holding:
//   MOORING-BACKUP   JSON: { format: 1, createdAt, files: { name: sha256-hex } }
//   coordinator.mdb  a consistent copy of the database (LMDB mdb_env_copy through lmdb-js backup():
//                    one read transaction, so a copy made while the coordinator runs is one commit)
//   ca.key, ca.crt   the CA: agents trust only it
//   secrets.key      the key the database's secrets are sealed with (from the systemd credential
//                    when that is where the coordinator reads it)
//   server.key, server.crt, admin.token   when present
// A backup therefore holds every secret of the coordinator: it is written mode 0600 and must be
// kept like the CA key.
//
// The backup command opens the database read-only beside the running coordinator (LMDB lets many
// processes share an environment through its lock file); it needs read access to the data dir and
// nothing from the running process.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { open } from 'lmdb';
import { systemClock, type Clock } from '../clock.js';
import { verifyCaFiles } from '../pki/key-material.js';
import { checkDatabaseFile, DATABASE_FILE, holdsData } from './data-dir.js';
import { StoreError } from './errors.js';
import { secretsKeyPath, SECRETS_KEY_FILE } from './secrets-key.js';

const run = promisify(execFile);

export const MANIFEST = 'MOORING-BACKUP';
const FORMAT = 1;
const REQUIRED = [DATABASE_FILE, 'ca.key', 'ca.crt', SECRETS_KEY_FILE] as const;
const OPTIONAL = ['server.key', 'server.crt', 'admin.token'] as const;
const PUBLIC = new Set(['ca.crt', 'server.crt']);

interface Manifest {
  readonly format: number;
  readonly createdAt: string;
  readonly files: Record<string, string>;
}

export class BackupError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Writes a backup of `dataDir` to `target` (mode 0600); safe while the coordinator runs. */
export async function backupDataDir(
  dataDir: string,
  target: string,
  credentialsDirectory: string | null,
  clock: Clock = systemClock,
): Promise<{ files: string[] }> {
  const database = join(dataDir, DATABASE_FILE);
  if (!existsSync(database)) throw new BackupError(`${database}: missing: ${dataDir} is not a coordinator data dir`);
  // A truncated file is refused before it is mapped (the copy would die of SIGBUS); the copy is
  // checked whole afterwards (the live file may change under a walk of it), so no backup holds damage.
  checkDatabaseFile(database, { metaOnly: true });
  const out = resolve(target);
  const staging = mkdtempSync(join(dirname(out), `.${basename(out)}.staging-`));
  try {
    const root = open({ path: database, readOnly: true, maxDbs: 32, compression: false, ...{ permissionsMode: 0o600 } });
    try {
      await root.backup(join(staging, DATABASE_FILE), false);
    } finally {
      await root.close();
    }
    checkDatabaseFile(join(staging, DATABASE_FILE));
    const sources: Record<string, string> = {
      'ca.key': join(dataDir, 'ca.key'),
      'ca.crt': join(dataDir, 'ca.crt'),
      [SECRETS_KEY_FILE]: secretsKeyPath(dataDir, credentialsDirectory),
    };
    for (const name of OPTIONAL) if (existsSync(join(dataDir, name))) sources[name] = join(dataDir, name);
    for (const [name, source] of Object.entries(sources)) {
      if (!existsSync(source)) throw new BackupError(`${source}: missing: a backup without it could not be restored`);
      copyFileSync(source, join(staging, name));
    }
    const files = [DATABASE_FILE, ...Object.keys(sources)];
    const manifest: Manifest = {
      format: FORMAT,
      createdAt: new Date(clock.now()).toISOString(),
      files: Object.fromEntries(files.map((name) => [name, sha256(join(staging, name))])),
    };
    writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    const archive = join(staging, 'backup.tar');
    await run('tar', ['-cf', archive, '-C', staging, MANIFEST, ...files]);
    chmodSync(archive, 0o600);
    renameSync(archive, out);
    return { files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Restores `source` into `dataDir`. The backup is unpacked and checked whole (checksums, the
 * database's structure, the CA key against its certificate) before anything in `dataDir` is
 * touched. A data dir that holds coordinator data is refused unless `force`; the coordinator
 * must be stopped while it is restored into.
 */
export async function restoreDataDir(source: string, dataDir: string, force: boolean): Promise<{ files: string[] }> {
  if (!existsSync(source)) throw new BackupError(`${source}: no such backup file`);
  if (holdsData(dataDir) && !force)
    throw new BackupError(
      `${dataDir}: holds coordinator data; restoring would replace it. Stop the coordinator and pass --force to replace it`,
    );
  const parent = resolve(dataDir, '..');
  const staging = mkdtempSync(join(existsSync(dataDir) ? dataDir : parent, '.restore-'));
  try {
    try {
      await run('tar', ['-xf', resolve(source), '-C', staging, MANIFEST]);
    } catch (error) {
      throw new BackupError(`${source}: not a coordinator backup (no ${MANIFEST} in it)`, { cause: error });
    }
    const manifest = JSON.parse(readFileSync(join(staging, MANIFEST), 'utf8')) as Manifest;
    if (manifest.format !== FORMAT) throw new BackupError(`${source}: backup format ${manifest.format}, this coordinator reads ${FORMAT}`);
    const files = Object.keys(manifest.files).filter(
      (name) => (REQUIRED as readonly string[]).includes(name) || (OPTIONAL as readonly string[]).includes(name),
    );
    for (const name of REQUIRED) if (!files.includes(name)) throw new BackupError(`${source}: the backup lacks ${name}`);
    await run('tar', ['-xf', resolve(source), '-C', staging, ...files]);
    for (const name of files) {
      if (sha256(join(staging, name)) !== manifest.files[name])
        throw new BackupError(`${source}: ${name} does not match its checksum: the backup is damaged`);
    }
    checkDatabaseFile(join(staging, DATABASE_FILE));
    verifyCaFiles(staging);
    for (const name of [...REQUIRED, ...OPTIONAL, `${DATABASE_FILE}-lock`]) rmSync(join(dataDir, name), { force: true });
    if (!existsSync(dataDir)) renameSync(staging, dataDir);
    for (const name of files) {
      const target = join(dataDir, name);
      if (existsSync(join(staging, name))) renameSync(join(staging, name), target);
      chmodSync(target, PUBLIC.has(name) ? 0o644 : 0o600);
    }
    if (existsSync(join(dataDir, MANIFEST))) rmSync(join(dataDir, MANIFEST));
    chmodSync(dataDir, 0o700);
    return { files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
