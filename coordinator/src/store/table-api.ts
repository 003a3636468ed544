// The table API the domain code uses, and nothing more: point reads, ordered range reads and
// writes of one table. lmdb-js's Database implements it (store.ts); so does the etcd backend's
// table (etcd-table.ts), with the same key order (ordered-binary) and the same range semantics.
// Writes are only legal inside `store.write(change)`.

/** An lmdb-js key: arrays sort element by element, numbers before strings. */
export type TableKey = string | number | (string | number)[];

export interface TableRange<K> {
  /** Inclusive. With `reverse`, the upper bound. */
  readonly start?: K;
  /** Exclusive. With `reverse`, the lower bound. */
  readonly end?: K;
  readonly reverse?: boolean;
  readonly limit?: number;
  /** lmdb-js: read without holding a snapshot. The etcd backend reads its replica either way. */
  readonly snapshot?: boolean;
}

export interface StoreTable<V, K extends TableKey> {
  get(key: K): V | undefined;
  getRange(range?: TableRange<K>): Iterable<{ key: K; value: V }>;
  getKeys(range?: TableRange<K>): Iterable<K>;
  getKeysCount(range?: TableRange<K>): number;
  putSync(key: K, value: V): void;
  removeSync(key: K): boolean | void;
  /**
   * Where the store numbers appended records itself (etcd: by the commit's revision,
   * etcd-sequenced.ts): appends `value` without reading the table's tail, so concurrent appenders
   * never conflict; readers see it under its seq once committed. Absent on LMDB, where the one
   * writer numbers records from the tail.
   */
  appendSequenced?(value: V): void;
}

/** What opens the named tables: lmdb-js's root database, or the etcd backend. */
export interface TableOpener {
  openDB<V, K extends TableKey>(options: { name: string }): StoreTable<V, K>;
}
