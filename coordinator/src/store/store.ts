// The coordinator's LMDB environment: one file, named tables, and the single way to change it.
//
// Durability: commits are synchronous (overlappingSync off), so a write's promise resolves only
// once LMDB has fsynced it; lmdb-js batches the transactions queued in one event turn into one
// commit, which is how durable commits reach thousands of writes per second.
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
      overlappingSync: false,
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
    for (const callback of callbacks) callback();
    return result;
  }

  async close(): Promise<void> {
    await this.root.close();
    this.logger.info('store closed');
  }
}
