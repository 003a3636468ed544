// Group commit (store/commit-group.ts) on real LMDB files in a temp dir: writes that arrive over
// many event turns while a group is committing join one next transaction (with one group in
// flight, the default), or at most two (two in flight: one flushing while the next commits); a
// group after a large one waits, for the gather window at most, for as many writes; a change that
// throws rolls back alone while the rest of its group commits; every write acknowledged before a
// kill -9 is in the database afterwards. A group's changes run together and, after a throw, each
// alone: a rerun change's callbacks run once. Transactions are counted by LMDB itself
// (mdb_env_info's last transaction id), not by the store.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Database } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import { LmdbStore, Store } from '../../coordinator/src/store/store.js';
import { REPO_ROOT } from '../harness/coordinator-process.js';

const WRITER = join(REPO_ROOT, 'dist', 'test', 'harness', 'store-writer-process.js');

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('store group commit', () => {
  const dirs: string[] = [];
  const stores: LmdbStore[] = [];
  const open = (dir?: string, groupsInFlight?: number, gather?: { ms: number; fromSize: number }): LmdbStore => {
    const path = dir ?? mkdtempSync(join(tmpdir(), 'mooring-group-'));
    if (!dir) dirs.push(path);
    const store = Store.open(path, createLogger('silent'), {
      ...(groupsInFlight === undefined ? {} : { groupsInFlight }),
      ...(gather === undefined ? {} : { gather }),
    });
    stores.push(store);
    return store;
  };
  // The LMDB backend's tables are lmdb-js databases; their stats count the environment's transactions.
  const lastTxnId = (store: LmdbStore): number =>
    ((store.tables.meta as Database<unknown, string>).getStats() as { lastTxnId: number }).lastTxnId;
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /**
   * Starts a first write, then one more write in each event turn until the first is durable.
   * Returns the later writes' promises (how many there were shows the turns the first one took).
   */
  async function writesWhileOneCommits(store: Store, change: (i: number) => void): Promise<Promise<unknown>[]> {
    let firstDone = false;
    const first = store.write(() => store.tables.meta.putSync('first', 1)).then(() => (firstDone = true));
    const later: Promise<unknown>[] = [];
    for (let i = 0; !firstDone; i++) {
      const write = store.write(() => change(i));
      write.catch(() => undefined); // examined by the caller once the first write is durable
      later.push(write);
      await nextTurn();
    }
    await first;
    return later;
  }

  it('gathers the writes of many event turns, arriving while a group commits, into one transaction', async () => {
    const store = open(undefined, 1);
    const carried: number[] = [];
    store.onTransactionCommitted((writes) => carried.push(writes));
    const before = lastTxnId(store);
    const later = await writesWhileOneCommits(store, (i) => store.tables.meta.putSync(`later-${i}`, i));
    await Promise.all(later);
    // Enough turns went by for the comparison to mean something (a commit with its fsync is ms).
    expect(later.length).toBeGreaterThanOrEqual(3);
    // One transaction for the first write (and those that came before lmdb-js ran it), one for all
    // the others; the store reports the same two, carrying every write.
    expect(lastTxnId(store) - before).toBe(2);
    expect(carried).toHaveLength(2);
    expect(carried[0]! + carried[1]!).toBe(1 + later.length);
    for (let i = 0; i < later.length; i++) expect(store.tables.meta.get(`later-${i}`)).toBe(i);
  });

  it('with two in flight commits one group while the one before it flushes, and gathers the rest into a third', async () => {
    const store = open(undefined, 2);
    const before = lastTxnId(store);
    const later = await writesWhileOneCommits(store, (i) => store.tables.meta.putSync(`later-${i}`, i));
    await Promise.all(later);
    expect(later.length).toBeGreaterThanOrEqual(3);
    // The first write's transaction, the group committed while it flushed, and the group that
    // gathered while both were in flight.
    expect(lastTxnId(store) - before).toBeLessThanOrEqual(3);
    for (let i = 0; i < later.length; i++) expect(store.tables.meta.get(`later-${i}`)).toBe(i);
  });

  it('after a group of at least gatherFromSize writes, waits for as many, for the window at most; after a smaller one, not', async () => {
    const store = open(undefined, 1, { ms: 1000, fromSize: 2 });
    const carried: number[] = [];
    store.onTransactionCommitted((writes) => carried.push(writes));
    let n = 0;
    const put = (): Promise<unknown> => store.write(() => store.tables.meta.putSync(`w-${n}`, n++));
    // Four in one event turn: the first hands its group over at once, and lmdb-js runs it in a later turn.
    await Promise.all([put(), put(), put(), put()]);
    expect(carried).toEqual([4]);

    // One write, then three 60 ms later: the first waits for them, and the four commit together.
    const started = performance.now();
    const first = put().then(() => performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await Promise.all([put(), put(), put()]);
    const waited = await first;
    expect(carried).toEqual([4, 4]);
    expect(waited).toBeGreaterThanOrEqual(55);
    expect(waited).toBeLessThan(1000);

    // One write alone waits the whole window, then commits alone.
    const aloneStarted = performance.now();
    await put();
    expect(performance.now() - aloneStarted).toBeGreaterThanOrEqual(990);
    expect(carried).toEqual([4, 4, 1]);

    // After a group of one (under gatherFromSize), a write does not wait.
    const quickStarted = performance.now();
    await put();
    expect(performance.now() - quickStarted).toBeLessThan(500);
    expect(carried).toEqual([4, 4, 1, 1]);
    for (let i = 0; i < n; i++) expect(store.tables.meta.get(`w-${i}`)).toBe(i);
  });

  it('rolls back a change that throws alone while the rest of its group commits', async () => {
    const store = open(undefined, 1);
    const committed: number[] = [];
    const carried: number[] = [];
    store.onTransactionCommitted((writes) => carried.push(writes));
    const before = lastTxnId(store);
    const later = await writesWhileOneCommits(store, (i) => {
      store.tables.meta.putSync(`later-${i}`, i);
      if (i === 1) {
        store.tables.meta.putSync('later-0', 'overwritten by 1');
        throw new Error('write 1 fails halfway');
      }
      committed.push(i);
    });
    const outcomes = await Promise.allSettled(later);
    expect(later.length).toBeGreaterThanOrEqual(3);
    expect(lastTxnId(store) - before).toBe(2); // the throw did not split the group
    expect(carried).toHaveLength(2);
    expect(carried[0]! + carried[1]!).toBe(later.length); // every write, the first too, but the one that threw
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: new Error('write 1 fails halfway') });
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect(store.tables.meta.get('later-0')).toBe(0);
    expect(store.tables.meta.get('later-1')).toBeUndefined();
    for (const i of committed) expect(store.tables.meta.get(`later-${i}`)).toBe(i);
  });

  it('runs onCommit callbacks only for the writes of a group that committed, before answering them', async () => {
    const store = open();
    const events: string[] = [];
    const a = store.write((scope) => {
      store.tables.meta.putSync('a', 1);
      scope.onCommit(() => events.push('a committed'));
    });
    await nextTurn();
    const b = store.write((scope) => {
      scope.onCommit(() => events.push('b committed'));
      throw new Error('b refused');
    });
    await nextTurn();
    const c = store.write((scope) => {
      store.tables.meta.putSync('c', 1);
      scope.onCommit(() => events.push('c committed'));
    });
    void a.then(() => events.push('a answered'));
    void c.then(() => events.push('c answered'));
    await expect(b).rejects.toThrow('b refused');
    await Promise.all([a, c]);
    expect(events.indexOf('a committed')).toBeLessThan(events.indexOf('a answered'));
    expect(events.indexOf('c committed')).toBeLessThan(events.indexOf('c answered'));
    expect(events).not.toContain('b committed');
  });

  it('runs the onCommit callbacks of a write rerun after another in its group threw once', async () => {
    const store = open();
    const before = lastTxnId(store);
    const committed: string[] = [];
    const write = (name: string, fail: boolean): Promise<void> =>
      store.write((scope) => {
        store.tables.meta.putSync(name, 1);
        scope.onCommit(() => committed.push(name));
        if (fail) throw new Error(`${name} refused`);
      });
    // Issued in one turn: one group, whose changes run together, then each alone after the throw.
    const outcomes = await Promise.allSettled([write('x', false), write('y', true), write('z', false)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(lastTxnId(store) - before).toBe(1);
    expect(committed.sort()).toEqual(['x', 'z']);
    expect([store.tables.meta.get('x'), store.tables.meta.get('y'), store.tables.meta.get('z')]).toEqual([1, undefined, 1]);
  });

  it('commits the writes made before close, and refuses writes after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-group-close-'));
    dirs.push(dir);
    const store = open(dir);
    const writes = Array.from({ length: 5 }, (_, i) => store.write(() => store.tables.meta.putSync(`before-close-${i}`, i)));
    await store.close();
    await Promise.all(writes);
    await expect(store.write(() => store.tables.meta.putSync('after-close', 1))).rejects.toThrow();
    stores.length = 0;
    const reopened = open(dir);
    for (let i = 0; i < 5; i++) expect(reopened.tables.meta.get(`before-close-${i}`)).toBe(i);
    expect(reopened.tables.meta.get('after-close')).toBeUndefined();
  });

  it('has every write it acknowledged in the database after a kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-group-kill-'));
    dirs.push(dir);
    const child = spawn(process.execPath, [WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const acked: string[] = [];
    const lines = createInterface({ input: child.stdout });
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        if (line.startsWith('acked ')) acked.push(line.slice('acked '.length));
        if (acked.length >= 300) resolve();
      });
      void exited.then(() => reject(new Error('the writer exited before acknowledging 300 writes')));
    });
    child.kill('SIGKILL');
    await exited;
    const store = open(dir);
    const missing = acked.filter((key) => store.tables.meta.get(key) === undefined);
    expect(acked.length).toBeGreaterThanOrEqual(300);
    expect(missing).toEqual([]);
  });
});
