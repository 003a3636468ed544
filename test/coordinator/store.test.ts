// The LMDB store on real files in a temp dir: a throwing write rolls back exactly its own changes
// while writes batched with it commit; schema versions; the event log's sequence survives reopening.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../coordinator/src/clock.js';
import { EventLog } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { SchemaTooNewError } from '../../coordinator/src/store/errors.js';
import { SCHEMA_VERSION } from '../../coordinator/src/store/schema.js';
import { Store } from '../../coordinator/src/store/store.js';

describe('store', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  const open = (dir?: string): { store: Store; dir: string } => {
    const path = dir ?? mkdtempSync(join(tmpdir(), 'mooring-store-'));
    if (!dir) dirs.push(path);
    const store = Store.open(path, createLogger('silent'));
    stores.push(store);
    return { store, dir: path };
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('rolls back a failing write without touching the writes batched with it', async () => {
    const { store } = open();
    const { meta } = store.tables;
    const committed: string[] = [];
    // Queued in one event turn: lmdb-js runs all three in one batch commit.
    const a = store.write((scope) => {
      meta.putSync('a', 1);
      scope.onCommit(() => committed.push('a'));
    });
    const b = store.write((scope) => {
      meta.putSync('b', 1);
      meta.putSync('a', 'overwritten by b');
      scope.onCommit(() => committed.push('b'));
      throw new Error('b fails halfway');
    });
    const c = store.write(() => {
      meta.putSync('c', meta.get('a'));
    });
    await expect(b).rejects.toThrow('b fails halfway');
    await a;
    await c;
    expect(meta.get('a')).toBe(1);
    expect(meta.get('b')).toBeUndefined();
    expect(meta.get('c')).toBe(1); // c saw a's write, not b's
    expect(committed).toEqual(['a']);
  });

  it('records the schema version and refuses a data dir from a newer coordinator', async () => {
    const { store, dir } = open();
    expect(store.tables.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
    await store.write(() => store.tables.meta.putSync('schemaVersion', SCHEMA_VERSION + 1));
    await store.close();
    stores.length = 0;
    expect(() => open(dir)).toThrow(SchemaTooNewError);
  });

  it('continues the event sequence after reopening', async () => {
    const clock = new ManualClock();
    const first = open();
    const log = new EventLog(first.store.tables, clock);
    const seen: number[] = [];
    log.subscribe((e) => seen.push(e.seq));
    await first.store.write((scope) => {
      log.append(scope, { actor: 'a', kind: 'test', why: 'one' });
      log.append(scope, { actor: 'a', kind: 'test', why: 'two' });
    });
    expect(seen).toEqual([1, 2]);
    await first.store.close();
    stores.length = 0;
    const again = open(first.dir);
    const reopened = new EventLog(again.store.tables, clock);
    expect(reopened.lastSeq()).toBe(2);
    await again.store.write((scope) => reopened.append(scope, { actor: 'a', kind: 'test', why: 'three' }));
    expect([...reopened.since(0)].map((e) => `${e.seq}:${e.why}`)).toEqual(['1:one', '2:two', '3:three']);
  });

  it('keeps the event sequence gap-free when an append is rolled back or another log appends', async () => {
    const clock = new ManualClock();
    const { store } = open();
    const log = new EventLog(store.tables, clock);
    const other = new EventLog(store.tables, clock); // a second appender on the same tables
    const append = (from: EventLog, why: string, fail = false): Promise<unknown> =>
      store.write((scope) => {
        from.append(scope, { actor: 'a', kind: 'test', why });
        if (fail) throw new Error(`${why} refused after its append`);
      });
    await append(log, 'one');
    // Issued in one turn so that they share a group: the failed one rolls back its seq, the
    // writes after it (in the group's rerun and in later groups) take the seq it left free.
    const outcomes = await Promise.allSettled([
      append(log, 'two'),
      append(log, 'refused', true),
      append(log, 'three'),
      append(other, 'four'),
      append(log, 'five'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    await append(log, 'six', true).catch(() => undefined); // rolled back alone in its group
    await append(log, 'seven');
    expect([...log.since(0)].map((e) => `${e.seq}:${e.why}`)).toEqual(['1:one', '2:two', '3:three', '4:four', '5:five', '6:seven']);
  });
});
