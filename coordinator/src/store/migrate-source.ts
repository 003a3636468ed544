// The LMDB side of a migration: a stopped coordinator's data dir, opened read-only after checks
// that make a bad source fail before anything is written to etcd. Refused: a dir without a
// database, a damaged database (checked by reading the file, not by mapping it: a truncated map
// kills the process), a database in use by another process (LMDB's lock, migrate-lock.ts), a
// schema newer than this coordinator's, plaintext secrets (only an LMDB coordinator seals them
// when it opens the data dir), and a secrets key that is missing or not the one the secrets are
// sealed with (the fleet would be useless on etcd without it).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { checkDatabaseFile, DATABASE_FILE } from './data-dir.js';
import { MigrateSourceError } from './migrate-errors.js';
import { lockHolders } from './migrate-lock.js';
import { SCHEMA_VERSION } from './schema.js';
import { countPlaintextSecrets } from './secret-table.js';
import { readSecretsKey, SecretCipher, secretsKeyPath } from './secrets-key.js';
import type { StoreTable, TableKey } from './table-api.js';
import { RecordStructures } from './record-structures.js';
import { openTables } from './tables.js';

const KEY_CHECK = 'secretsKeyCheck';

export interface SourceRecord {
  readonly key: TableKey;
  readonly value: unknown;
}

export class LmdbSource {
  private constructor(
    readonly dir: string,
    private readonly root: RootDatabase,
    /** Every table of the coordinator, by its stored name; null when this (older) database lacks it. */
    private readonly named: ReadonlyMap<string, StoreTable<unknown, TableKey> | null>,
    readonly schemaVersion: number,
    /** Where the secrets key the fleet's secrets are sealed with was read. */
    readonly secretsKeyFile: string,
    /** That key, to seal what the migration adds (migrate-secrets.ts). */
    readonly cipher: SecretCipher,
  ) {}

  /** Opens `dir` read-only after every check; throws MigrateSourceError naming the problem. */
  static open(dir: string, credentialsDirectory: string | null, procLocks: () => string | null = readProcLocks): LmdbSource {
    if (!existsSync(dir)) throw new MigrateSourceError(dir, 'no such directory');
    if (!statSync(dir).isDirectory()) throw new MigrateSourceError(dir, 'not a directory');
    const database = join(dir, DATABASE_FILE);
    if (!existsSync(database)) throw new MigrateSourceError(dir, `not a coordinator data dir (no ${DATABASE_FILE} in it)`);
    refuseInUse(dir, `${database}-lock`, procLocks);
    try {
      checkDatabaseFile(database);
    } catch (error) {
      throw new MigrateSourceError(dir, `the database is damaged: ${(error as Error).message.split('. ')[0]}`, { cause: error });
    }
    const root = open({ path: database, readOnly: true, maxDbs: 32, compression: false });
    try {
      const named = new Map<string, StoreTable<unknown, TableKey> | null>();
      const structures = RecordStructures.open(root);
      const tables = openTables({
        openDB: <V, K extends TableKey>({ name }: { name: string }): StoreTable<V, K> => {
          // Read-only, lmdb-js gives undefined for a table the database does not have yet.
          const table = structures.table<V, K>(name) ?? null;
          named.set(name, table);
          return table ?? emptyTable<V, K>();
        },
      });
      const version = tables.meta.get('schemaVersion');
      if (typeof version !== 'number') {
        throw new MigrateSourceError(dir, 'the database holds no fleet (no schema version in its meta table)');
      }
      if (version > SCHEMA_VERSION) {
        throw new MigrateSourceError(dir, `the database has schema version ${version}; this coordinator supports up to ${SCHEMA_VERSION}`);
      }
      const plaintext = countPlaintextSecrets(tables);
      if (plaintext > 0) {
        throw new MigrateSourceError(
          dir,
          `${plaintext} machine secrets are stored in plain text (a fleet from before sealing): start this coordinator ` +
            'version on the data dir once (it seals them on opening), stop it, then migrate',
        );
      }
      const keyFile = secretsKeyPath(dir, credentialsDirectory);
      const key = readSecretsKey(keyFile);
      const recorded = tables.meta.get(KEY_CHECK);
      if (key === null) throw new MigrateSourceError(dir, `the secrets key ${keyFile} is missing; the fleet's secrets are sealed with it`);
      const cipher = new SecretCipher(key);
      if (recorded !== undefined && recorded !== cipher.check) {
        throw new MigrateSourceError(dir, `${keyFile} is not the key this fleet's secrets are sealed with`);
      }
      return new LmdbSource(dir, root, named, version, keyFile, cipher);
    } catch (error) {
      void root.close();
      throw error;
    }
  }

  /** The stored names of every table, sorted (the order etcd keeps them in). */
  get tableNames(): string[] {
    return [...this.named.keys()].sort();
  }

  count(table: string): number {
    return this.table(table)?.getKeysCount() ?? 0;
  }

  /** The records of `table` in key order, as lmdb-js decodes them. */
  *records(table: string): Generator<SourceRecord> {
    const db = this.table(table);
    if (db) for (const { key, value } of db.getRange({})) yield { key, value };
  }

  async close(): Promise<void> {
    await this.root.close();
  }

  private table(name: string): StoreTable<unknown, TableKey> | null {
    if (!this.named.has(name)) throw new Error(`no table ${name}`);
    return this.named.get(name)!;
  }
}

function refuseInUse(dir: string, lockFile: string, procLocks: () => string | null): void {
  if (!existsSync(lockFile)) return;
  const text = procLocks();
  if (text === null) return; // no /proc/locks (not Linux): the caller's word that the coordinator is stopped
  const { dev, ino } = statSync(lockFile);
  const holders = lockHolders(text, { dev, ino }, process.pid);
  if (holders.length > 0) {
    const pids = [...new Set(holders.map((h) => h.pid))].join(', ');
    throw new MigrateSourceError(
      dir,
      `the database is in use by process ${pids} (a running coordinator, or a backup): stop the coordinator first; ` +
        'migrate copies a stopped fleet, so that no change made during the copy is lost',
    );
  }
}

function readProcLocks(): string | null {
  try {
    return readFileSync('/proc/locks', 'utf8');
  } catch {
    return null;
  }
}

function emptyTable<V, K extends TableKey>(): StoreTable<V, K> {
  return {
    get: () => undefined,
    getRange: () => [],
    getKeys: () => [],
    getKeysCount: () => 0,
    putSync: () => {
      throw new Error('read-only');
    },
    removeSync: () => {
      throw new Error('read-only');
    },
  };
}
