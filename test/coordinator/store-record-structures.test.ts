// Record structures shared per LMDB table (store/record-structures.ts), on real LMDB files: values
// hold only their values, a structure first saved by a rolled-back change is saved again by the next
// write that uses it (reopening reads every committed value back), values written before shared
// structures are read as they are, and a group that saved a structure commits before the next group
// runs (store/commit-group.ts, against a scripted lmdb-js root, so the order is exact).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import { CommitGroups, type GroupedWrite } from '../../coordinator/src/store/commit-group.js';
import { DATABASE_FILE } from '../../coordinator/src/store/data-dir.js';
import { RECORD_STRUCTURES_TABLE } from '../../coordinator/src/store/record-structures.js';
import { SCHEMA_VERSION } from '../../coordinator/src/store/schema.js';
import { LmdbStore, Store } from '../../coordinator/src/store/store.js';
import type { Pool } from '../../coordinator/src/tenancy/pool-registry.js';

const pool = (name: string): Pool => ({ name, description: `pool ${name}`, autoReserveFor: { kind: 'group', name: 'ops' }, createdAt: 1 });

describe('record structures shared per LMDB table', () => {
  const dirs: string[] = [];
  const stores: LmdbStore[] = [];
  const newDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-structures-'));
    dirs.push(dir);
    return dir;
  };
  const openStore = (dir: string): LmdbStore => {
    const store = Store.open(dir, createLogger('silent'), { groupsInFlight: 1 });
    stores.push(store);
    return store;
  };
  /** The file as lmdb-js alone opens it: no shared structures, so values are read as stored. */
  const raw = (dir: string): RootDatabase => open({ path: join(dir, DATABASE_FILE), maxDbs: 32, compression: false });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps the structures in their own table, so a value holds only its values', async () => {
    const dir = newDir();
    const store = openStore(dir);
    await store.write(() => store.tables.pools.putSync('a', pool('a')));
    await store.close();
    const root = raw(dir);
    try {
      const structures = root.openDB<unknown[], string>({ name: RECORD_STRUCTURES_TABLE }).get('pools');
      expect(structures).toEqual(
        expect.arrayContaining([
          ['name', 'description', 'autoReserveFor', 'createdAt'],
          ['kind', 'name'],
        ]),
      );
      const bytes = root.openDB({ name: 'pools', encoding: 'binary' }).getBinary('a') as Buffer;
      // The keys are not in the value: only the strings it holds.
      expect(bytes.includes(Buffer.from('description'))).toBe(false);
      expect(bytes.includes(Buffer.from('pool a'))).toBe(true);
    } finally {
      await root.close();
    }
  });

  it('saves again a structure whose first save was rolled back with the change that threw', async () => {
    const dir = newDir();
    const store = openStore(dir);
    // One group: the first change saves the pools' new structures and throws (rolled back with
    // them); the second, a value of the same shapes, commits and must not name the lost ones.
    const failed = store.write(() => {
      store.tables.pools.putSync('thrown', pool('thrown'));
      throw new Error('the change fails after its write');
    });
    const kept = store.write(() => store.tables.pools.putSync('kept', pool('kept')));
    await expect(failed).rejects.toThrow('the change fails after its write');
    await kept;
    // A write after the group uses the same structures again.
    await store.write(() => store.tables.pools.putSync('later', pool('later')));
    await store.close();

    const reopened = openStore(dir);
    expect(reopened.tables.pools.get('kept')).toEqual(pool('kept'));
    expect(reopened.tables.pools.get('later')).toEqual(pool('later'));
    expect(reopened.tables.pools.get('thrown')).toBeUndefined();
  });

  it('reads back every committed value after concurrent writes of new shapes, some thrown, two groups in flight', async () => {
    const dir = newDir();
    const store = Store.open(dir, createLogger('silent'), { groupsInFlight: 2 });
    stores.push(store);
    // Each write puts a record of one of 48 shapes (more than the 32 a table shares, so some
    // keep their own) and every seventh throws after its put; writes arrive over many turns.
    const shape = (i: number): Record<string, unknown> => {
      const record: Record<string, unknown> = { id: `r-${i}`, at: i };
      record[`field-${i % 48}`] = { nested: `n-${i % 5}`, [`k-${i % 3}`]: i };
      return record;
    };
    const committed = new Map<string, Record<string, unknown>>();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 400; i++) {
      const value = shape(i);
      const write = store.write(() => {
        store.tables.images.putSync(`r-${i}`, value);
        if (i % 7 === 3) throw new Error(`write ${i} throws`);
      });
      writes.push(write.then(() => committed.set(`r-${i}`, value)).catch(() => undefined));
      if (i % 9 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    expect(committed.size).toBe(400 - Math.ceil((400 - 3) / 7));
    await store.close();

    const reopened = openStore(dir);
    for (const [key, value] of committed) expect(reopened.tables.images.get(key)).toEqual(value);
    expect([...reopened.tables.images.getKeys({})]).toHaveLength(committed.size);
  });

  it('reads the values an older coordinator wrote with inline structures, and upgrades the schema', async () => {
    const dir = newDir();
    await openStore(dir).close();
    stores.length = 0;
    // What a coordinator of schema version 10 wrote: every value carries its own structures.
    const root = raw(dir);
    root.openDB({ name: 'meta' }).putSync('schemaVersion', 10);
    root.openDB({ name: 'pools' }).putSync('old', pool('old'));
    await root.close();

    const store = openStore(dir);
    expect(store.tables.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(11);
    expect(store.tables.pools.get('old')).toEqual(pool('old'));
    await store.write(() => store.tables.pools.putSync('new', pool('new')));
    expect(store.tables.pools.get('old')).toEqual(pool('old'));
    await store.close();

    const reopened = openStore(dir);
    expect(reopened.tables.pools.get('old')).toEqual(pool('old'));
    expect(reopened.tables.pools.get('new')).toEqual(pool('new'));
  });
});

describe('a group that saved a record structure', () => {
  /** A root whose transactions run and commit when the test says so. */
  function scriptedRoot() {
    const pending: { run: () => void; commit: (failure?: Error) => void }[] = [];
    const root = {
      transaction: (callback: () => void): Promise<void> =>
        new Promise<void>((resolve, reject) => {
          pending.push({ run: callback, commit: (failure) => (failure ? reject(failure) : resolve()) });
        }),
      childTransaction: (callback: () => unknown): unknown => callback(),
      flushed: Promise.resolve(),
    };
    return { root: root as unknown as RootDatabase, pending };
  }

  function groups(root: RootDatabase) {
    const structures = { saved: false, forgotten: 0 };
    const commitGroups = new CommitGroups(root, {
      groupsInFlight: 2,
      gather: { ms: 0, fromSize: 2 },
      settled: () => undefined,
      structures: {
        takeSaved: () => {
          const saved = structures.saved;
          structures.saved = false;
          return saved;
        },
        forget: () => void structures.forgotten++,
      },
    });
    return { commitGroups, structures };
  }

  const write = (change: () => void): GroupedWrite => ({ change, outcome: null });
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('commits before the next group is handed over; a group that saved none lets the next one overlap', async () => {
    const { root, pending } = scriptedRoot();
    const { commitGroups, structures } = groups(root);

    commitGroups.add(write(() => (structures.saved = true)));
    pending[0]!.run();
    commitGroups.add(write(() => undefined));
    await turn();
    expect(pending).toHaveLength(1); // held back until the first group is durable
    pending[0]!.commit();
    await turn();
    expect(pending).toHaveLength(2);

    // The second group saved nothing: a third overlaps it, as groupsInFlight allows.
    pending[1]!.run();
    commitGroups.add(write(() => undefined));
    await turn();
    expect(pending).toHaveLength(3);
    expect(structures.forgotten).toBe(0);
  });

  it('makes the tables reload their structures after a failed commit and after a change that threw', async () => {
    const { root, pending } = scriptedRoot();
    const { commitGroups, structures } = groups(root);

    commitGroups.add(write(() => (structures.saved = true)));
    pending[0]!.run();
    pending[0]!.commit(new Error('MDB_MAP_FULL'));
    await turn();
    expect(structures.forgotten).toBe(1);

    const thrower = write(() => {
      throw new Error('illegal');
    });
    commitGroups.add(thrower);
    pending[1]!.run();
    // Once when the group's shared child aborted, once when the change's own child did.
    expect(structures.forgotten).toBe(3);
    expect(thrower.outcome).toMatchObject({ ok: false });
  });
});
