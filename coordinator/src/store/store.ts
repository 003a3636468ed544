// The coordinator's LMDB environment: one file, named tables, and the single way to change it.
//
// Durability: `write` resolves only once its commit is flushed to disk (fsync), so an acknowledged
// change survives kill -9 and power loss. Concurrent writes are gathered into one transaction
// (group commit, commit-group.ts): every write that arrives while lmdb-js's write thread is busy
// with the previous group joins the next one, however many event turns it spans, so a busy
// coordinator pays one commit and one fsync for many writers. (With overlappingSync LMDB keeps the
// previous meta page until a flush completes, so a crash falls back to the last flushed commit.)
// Atomicity: a callback that throws rolls back exactly its own changes ("an illegal request
// changes nothing") without failing the other callbacks grouped with it (the group's callbacks run
// in one child transaction, and again each in its own if one throws: commit-group.ts).
// A full disk: LMDB aborts the whole batch commit (nothing of it reaches the file); each write in
// it fails with DataDiskError (UNAVAILABLE at the API) and the store reports 'failing' until a
// commit succeeds again (disk-state.ts).
// Files: coordinator.mdb and its lock file are mode 0600; stored secrets are sealed with the
// secrets key (secrets-key.ts), which lives outside the database.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { CommitGroups, type GatherOptions, type GroupedWrite } from './commit-group.js';
import { DATABASE_FILE, inspectDataDir, type DataDirState } from './data-dir.js';
import { commitFailure, DataDiskError, isFailedCommit, type DiskState, type DiskStateListener } from './disk-state.js';
import { SecretsKeyError } from './errors.js';
import { migrate } from './schema.js';
import { sealPlaintextSecrets } from './secret-table.js';
import { createSecretsKey, readSecretsKey, SECRETS_KEY_FILE, secretsKeyPath, SecretCipher } from './secrets-key.js';
import type { CommitListener, StoreBackend, TransactionListener, WriteScope } from './store-backend.js';
import { RecordStructures } from './record-structures.js';
import { openTables, type Tables } from './tables.js';

export interface StoreOptions {
  /** systemd's $CREDENTIALS_DIRECTORY, where the `mooring-secrets-key` credential may be. */
  readonly credentialsDirectory?: string | null;
  /** While the disk is failing, how often a probe commit checks whether it takes writes again. */
  readonly diskProbeMs?: number;
  /** Times the disk state records (when it started failing, for how long). Default: the system clock. */
  readonly clock?: Clock;
  /**
   * Groups of writes handed to lmdb-js before the oldest is durable (commit-group.ts). Default 1:
   * each group gathers for the whole of the previous one's commit and fsync, so a busy coordinator
   * commits fewer, larger groups (bench:alloc: 4-14% more allocations a second than with 2, and
   * 3-11% less coordinator CPU per cycle; see the README's allocation section).
   */
  readonly groupsInFlight?: number;
  /**
   * The gather of a saturated coordinator (commit-group.ts): a group after one of at least
   * `fromSize` writes (default 16) waits up to `ms` (default 1; 0: never) for as many.
   */
  readonly gather?: GatherOptions;
}

/** The gather of a saturated coordinator: measured in the README's allocation section ("A short gather"). */
const DEFAULT_GATHER: GatherOptions = { ms: 1, fromSize: 16 };

/** A write in its group: the caller's change, its onCommit callbacks and how to answer it. */
interface PendingWrite extends GroupedWrite {
  readonly callbacks: (() => void)[];
  readonly started: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const KEY_CHECK = 'secretsKeyCheck';

export type { CommitListener, WriteScope } from './store-backend.js';

/** What the domain code holds: this LMDB store, or the etcd store (etcd-store.ts). `Store.open` opens LMDB. */
export type Store = StoreBackend;

export class LmdbStore implements StoreBackend {
  private disk: DiskState = { type: 'writable' };
  private readonly listeners: DiskStateListener[] = [];
  private readonly commitListeners = new Set<CommitListener>();
  private readonly transactionListeners = new Set<TransactionListener>();
  private probe: NodeJS.Timeout | null = null;
  private readonly groups: CommitGroups;

  private constructor(
    private readonly root: RootDatabase,
    structures: RecordStructures,
    readonly tables: Tables,
    /** Seals and opens stored secrets. */
    readonly cipher: SecretCipher,
    /** What the data dir held when the store opened it. */
    readonly openedOn: DataDirState,
    private readonly logger: Logger,
    private readonly diskProbeMs: number,
    private readonly dataDir: string,
    private readonly clock: Clock,
    groups: { readonly inFlight: number; readonly gather: GatherOptions },
  ) {
    this.groups = new CommitGroups(root, {
      groupsInFlight: groups.inFlight,
      gather: groups.gather,
      structures,
      settled: (writes, failure) => void this.settle(writes as readonly PendingWrite[], failure),
    });
  }

  /** Opens (on first start creates) `<dataDir>/coordinator.mdb`; refuses a damaged one (DataDirDamagedError). */
  static open(dataDir: string, logger: Logger, options: StoreOptions = {}): LmdbStore {
    const openedOn = inspectDataDir(dataDir);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, DATABASE_FILE);
    // permissionsMode is lmdb-js's mode for the files it creates (its typings omit it).
    const root = open({ path, maxDbs: 32, compression: false, overlappingSync: true, noSync: false, ...{ permissionsMode: 0o600 } });
    try {
      // Files an older coordinator created 0644 are narrowed here.
      for (const file of [path, `${path}-lock`]) if (existsSync(file)) chmodSync(file, 0o600);
      const structures = RecordStructures.open(root);
      const tables = openTables(structures.opener());
      const cipher = loadCipher(dataDir, tables, options.credentialsDirectory ?? null);
      const store = new LmdbStore(
        root,
        structures,
        tables,
        cipher,
        openedOn,
        logger.child({ component: 'store' }),
        options.diskProbeMs ?? 1000,
        dataDir,
        options.clock ?? systemClock,
        { inFlight: options.groupsInFlight ?? 1, gather: options.gather ?? DEFAULT_GATHER },
      );
      const { from, to, sealed } = root.transactionSync(() => {
        const versions = migrate(tables);
        const count = sealPlaintextSecrets(tables, cipher);
        tables.meta.putSync(KEY_CHECK, cipher.check);
        return { ...versions, sealed: count };
      });
      if (sealed > 0) store.logger.info({ secrets: sealed }, 'sealed plaintext secrets left by an older coordinator');
      store.logger.info({ dataDir, openedOn, schemaFrom: from, schemaTo: to }, 'store opened');
      return store;
    } catch (error) {
      void root.close();
      throw error;
    }
  }

  /** 'writable', or 'failing' since the last commit failed. */
  get diskState(): DiskState {
    return this.disk;
  }

  /** Calls `listener` on every change of the disk state. */
  onDiskState(listener: DiskStateListener): void {
    this.listeners.push(listener);
  }

  /** Calls `listener` after every write that reached its commit (the metrics' commit latency); returns its removal. */
  onCommitTimed(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => void this.commitListeners.delete(listener);
  }

  /** Calls `listener` after every group transaction that committed durably, with its writes. */
  onTransactionCommitted(listener: TransactionListener): () => void {
    this.transactionListeners.add(listener);
    return () => void this.transactionListeners.delete(listener);
  }

  /**
   * Runs `change` in one write transaction and resolves with its result once committed durably.
   * `change` runs synchronously, alone, on the main thread: what it reads is what it writes over.
   * Rejects with DataDiskError when the commit fails; nothing of `change` is then stored.
   */
  write<T>(change: (scope: WriteScope) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const callbacks: (() => void)[] = [];
      const scope: WriteScope = { onCommit: (callback) => void callbacks.push(callback) };
      const write: PendingWrite = {
        change: (rerun) => {
          if (rerun) callbacks.length = 0; // registered by a run that was rolled back
          return change(scope);
        },
        outcome: null,
        callbacks,
        started: performance.now(),
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      this.groups.add(write);
    });
  }

  /** How many group transactions have committed durably since the store opened. */
  get groupsCommitted(): number {
    return this.groups.groupsCommitted;
  }

  /** Answers the writes of a group once it is durable, or once its commit failed. */
  private async settle(writes: readonly PendingWrite[], failure: unknown): Promise<void> {
    if (failure !== null) {
      // Nothing of the group is stored: a change that threw is answered with its own error, the
      // others with the disk's.
      const error = isFailedCommit(failure) ? await commitFailure(failure, this.dataDir) : failure;
      if (error instanceof DataDiskError && this.disk.type === 'writable')
        this.transition({ type: 'failing', since: this.clock.now(), error });
      for (const write of writes) {
        if (write.outcome?.ok === false) write.reject(write.outcome.error);
        else {
          this.timed(true, write.started);
          write.reject(error);
        }
      }
      return;
    }
    if (this.disk.type === 'failing') this.transition({ type: 'writable' });
    if (this.transactionListeners.size > 0) {
      const carried = writes.filter((write) => write.outcome?.ok === true).length;
      for (const listener of this.transactionListeners) listener(carried);
    }
    for (const write of writes) {
      const outcome = write.outcome;
      if (outcome?.ok === true) {
        this.timed(false, write.started);
        for (const callback of write.callbacks) callback();
        write.resolve(outcome.value);
      } else {
        write.reject(outcome ? outcome.error : new Error('the write was not run in its transaction'));
      }
    }
  }

  private timed(failed: boolean, started: number): void {
    if (this.commitListeners.size === 0) return;
    const seconds = (performance.now() - started) / 1000;
    for (const listener of this.commitListeners) listener(failed, seconds, 0);
  }

  async close(): Promise<void> {
    this.stopProbe();
    await this.groups.whenIdle(); // writes already made are committed (or fail) before the file closes
    await this.root.close();
    this.logger.info('store closed');
  }

  private transition(to: DiskState): void {
    const from = this.disk;
    this.disk = to;
    if (to.type === 'failing') {
      const code = 'code' in to.error ? to.error.code : null;
      this.logger.error({ err: to.error.cause, code }, `${from.type} -> failing: ${to.error.message}`);
      this.startProbe();
    } else {
      const failedMs = from.type === 'failing' ? this.clock.now() - from.since : 0;
      this.logger.warn({ failedMs }, `${from.type} -> writable: the data disk takes commits again`);
      this.stopProbe();
    }
    for (const listener of this.listeners) listener(to);
  }

  private startProbe(): void {
    if (this.probe) return;
    this.probe = setInterval(() => {
      this.write(() => this.tables.meta.putSync('diskProbe', this.clock.now())).catch(() => undefined);
    }, this.diskProbeMs);
    this.probe.unref();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }
}

// The type `Store` names the interface; the value `Store` is the LMDB store, so `Store.open(dir)` reads as before.
export const Store = LmdbStore;

/**
 * The secrets key: read it, or create it when the database holds nothing sealed under another key
 * (a first start, or a data dir from before secrets were sealed). A database that records a key
 * never gets a new one: without the right key its secrets cannot be opened.
 */
export function loadCipher(dataDir: string, tables: Tables, credentialsDirectory: string | null): SecretCipher {
  const file = secretsKeyPath(dataDir, credentialsDirectory);
  const recorded = tables.meta.get(KEY_CHECK) as string | undefined;
  const key = readSecretsKey(file);
  if (key === null) {
    if (recorded !== undefined) throw new SecretsKeyError(file, 'missing, while the database holds secrets sealed under it');
    return new SecretCipher(createSecretsKey(join(dataDir, SECRETS_KEY_FILE)));
  }
  const cipher = new SecretCipher(key);
  if (recorded !== undefined && recorded !== cipher.check)
    throw new SecretsKeyError(file, 'not the key the stored secrets were sealed with');
  return cipher;
}
