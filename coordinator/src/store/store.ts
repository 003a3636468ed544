// The coordinator's LMDB environment: one file, named tables, and the single way to change it.
//
// Durability: `write` resolves only once its commit is flushed to disk (fsync), so an acknowledged
// change survives kill -9 and power loss. lmdb-js batches the transactions queued in one event
// turn into one commit, and with overlappingSync the flush of one commit overlaps the next batch
// (LMDB keeps the previous meta page until the flush completes, so a crash falls back to the last
// flushed commit): durable commits at thousands of writes per second.
// Atomicity: every write runs as a child transaction inside that batch, so a callback that throws
// rolls back exactly its own changes ("an illegal request changes nothing") without failing the
// other callbacks batched with it.
import { mkdirSync } from 'node:fs';
import { open, type RootDatabase } from 'lmdb';
import type { Logger } from '../logger.js';
import { migrate } from './schema.js';
import { openTables, type Tables } from './tables.js';

export interface WriteScope {
  /** Runs `callback` after the transaction has committed durably (never if it rolls back). */
  onCommit(callback: () => void): void;
}

export class Store {
  private constructor(
    private readonly root: RootDatabase,
    readonly tables: Tables,
    private readonly logger: Logger,
  ) {}

  static open(dataDir: string, logger: Logger): Store {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const root = open({
      path: `${dataDir}/coordinator.mdb`,
      maxDbs: 32,
      compression: false,
      overlappingSync: true,
      noSync: false,
    });
    const tables = openTables(root);
    const store = new Store(root, tables, logger.child({ component: 'store' }));
    const { from, to } = root.transactionSync(() => migrate(tables));
    store.logger.info({ dataDir, schemaFrom: from, schemaTo: to }, 'store opened');
    return store;
  }

  /**
   * Runs `change` in one write transaction and resolves with its result once committed durably.
   * `change` runs synchronously, alone, on the main thread: what it reads is what it writes over.
   */
  async write<T>(change: (scope: WriteScope) => T): Promise<T> {
    const callbacks: (() => void)[] = [];
    const scope: WriteScope = { onCommit: (callback) => void callbacks.push(callback) };
    const result = (await this.root.childTransaction(() => change(scope))) as T;
    await this.root.flushed; // committed is not yet durable: wait for the fsync
    for (const callback of callbacks) callback();
    return result;
  }

  async close(): Promise<void> {
    await this.root.close();
    this.logger.info('store closed');
  }
}
