// The one transaction interface the domain code holds, whichever backend stores the fleet: the
// embedded LMDB file (store.ts, the default) or an etcd cluster shared by several coordinators
// (etcd-store.ts). Both run `change` synchronously against their tables and resolve once the
// change is durable; a change that throws stores nothing.
import type { DiskState, DiskStateListener } from './disk-state.js';
import type { SecretCipher } from './secrets-key.js';
import type { Tables } from './tables.js';

export interface WriteScope {
  /** Runs `callback` after the transaction has committed durably (never if it rolls back). */
  onCommit(callback: () => void): void;
}

/**
 * Told of every write once it has committed durably or failed to: seconds from its start, and how
 * many times its change ran again because another writer's commit conflicted with it (etcd; 0 on
 * LMDB, where this coordinator is the only writer).
 */
export type CommitListener = (failed: boolean, seconds: number, reruns: number) => void;

/**
 * Told of every transaction that committed durably: how many writes it carried (an LMDB group
 * commit, an etcd Txn of a batch). Concurrent writers share transactions; this says how well.
 */
export type TransactionListener = (writes: number) => void;

/**
 * Records put by any writer of a shared store (other coordinators too), as this store learns of
 * them: the etcd store from its watch, in commit order, before the write that made them resolves
 * on this store. Not offered by LMDB, where this coordinator is the only writer.
 */
export interface StoreChangeFeed {
  /** Calls `listener` with each record put into `table` from now on; the returned function stops. */
  onPut(table: string, listener: (value: unknown) => void): () => void;
}

export interface StoreBackend {
  /** Set when other writers share the store: follow it to learn of their changes. */
  readonly changes?: StoreChangeFeed;
  readonly tables: Tables;
  /** Seals and opens stored secrets. */
  readonly cipher: SecretCipher;
  /** 'writable', or 'failing' since the last commit failed. */
  readonly diskState: DiskState;
  onDiskState(listener: DiskStateListener): void;
  onCommitTimed(listener: CommitListener): () => void;
  onTransactionCommitted(listener: TransactionListener): () => void;
  /**
   * Runs `change` in one transaction and resolves with its result once committed durably.
   * `change` must be safe to run more than once (the etcd backend reruns it on a conflict): no
   * side effects besides table writes and onCommit registrations.
   */
  write<T>(change: (scope: WriteScope) => T): Promise<T>;
  /** Asks the store whether it answers now: why not (for /readyz), or null. Absent: it is local. */
  reachability?(): Promise<string | null>;
  close(): Promise<void>;
}
