// One body of store tests run against both backends: LMDB in a temp dir, and the etcd backend on
// a real 3-member etcd cluster (a fresh prefix per test). Writes and reads, lmdb-js key order and
// range semantics (start inclusive, end exclusive, reversed, limits), a change reading its own
// writes, a throwing change storing nothing, onCommit only after the commit, and the machine
// indexes as the records imply them (stored on LMDB, derived on etcd), a change's own included.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import { EtcdStore } from '../../coordinator/src/store/etcd-store.js';
import { MachineTable } from '../../coordinator/src/store/machine-table.js';
import { SCHEMA_VERSION } from '../../coordinator/src/store/schema.js';
import { SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import type { StoreBackend } from '../../coordinator/src/store/store-backend.js';
import type { StoreTable } from '../../coordinator/src/store/table-api.js';
import { Store } from '../../coordinator/src/store/store.js';
import { EtcdCluster } from '../harness/etcd.js';
import { machineRecord } from '../harness/machine-record.js';
import { indexesImplied, indexesRead } from '../harness/machine-indexes.js';

type Opener = () => Promise<StoreBackend>;

function conformance(open: Opener): void {
  it('stores what a write puts, reads it back, and records the schema version', async () => {
    const store = await open();
    expect(store.tables.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
    const result = await store.write(() => {
      store.tables.machines.putSync('m1', { id: 'm1', cores: 4, tags: ['a'], nested: { x: null } });
      store.tables.hostnames.putSync('h1', 'm1');
      return store.tables.hostnames.get('h1'); // its own write
    });
    expect(result).toBe('m1');
    expect(store.tables.machines.get('m1')).toEqual({ id: 'm1', cores: 4, tags: ['a'], nested: { x: null } });
    expect(store.tables.machines.get('m2')).toBeUndefined();
    await store.write(() => {
      expect(store.tables.hostnames.removeSync('h1')).toBe(true);
      expect(store.tables.hostnames.removeSync('nothing')).toBe(false);
      expect(store.tables.hostnames.get('h1')).toBeUndefined();
    });
    expect(store.tables.hostnames.get('h1')).toBeUndefined();
  });

  it('orders keys as lmdb-js does and honours start, end, reverse and limit', async () => {
    const store = await open();
    // Any table takes any lmdb-js key. A stored one: on etcd the machine indexes are derived from
    // the machine records (etcd-derived-indexes.ts), and what is put there directly is not kept.
    const ordered = store.tables.networkAddresses as unknown as StoreTable<unknown, (string | number)[]>;
    const { events } = store.tables;
    const keys: (string | number)[][] = [
      ['h', '', 8, 'b'],
      ['h', '', 8, 'a'],
      ['h', '', 2.5, 'z'],
      ['h', 'u:alice', 1, 'c'],
      ['p', '', 'default', 3, 'd'],
      ['h', '', 16, 'e'],
    ];
    await store.write(() => {
      for (const key of keys) ordered.putSync(key, { id: key[key.length - 1] });
      for (const seq of [10, 2, 1, 33, 5]) events.putSync(seq, { seq });
    });
    const all = [...ordered.getKeys({})];
    expect(all).toEqual([
      ['h', '', 2.5, 'z'],
      ['h', '', 8, 'a'],
      ['h', '', 8, 'b'],
      ['h', '', 16, 'e'],
      ['h', 'u:alice', 1, 'c'],
      ['p', '', 'default', 3, 'd'],
    ]);
    const unreserved = [...ordered.getRange({ start: ['h', '', 3], end: ['h', '', '\uffff'] })].map((e) => e.value);
    expect(unreserved).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'e' }]);
    expect([...events.getKeys({ start: 5 })]).toEqual([5, 10, 33]);
    expect([...events.getKeys({ start: 2, end: 10 })]).toEqual([2, 5]);
    expect([...events.getKeys({ reverse: true, limit: 1 })]).toEqual([33]);
    expect([...events.getKeys({ reverse: true, start: 10, end: 2 })]).toEqual([10, 5]);
    expect([...events.getKeys({ reverse: true, start: 6 })]).toEqual([5, 2, 1]);
    expect([...events.getRange({ limit: 2 })].map((e) => e.value)).toEqual([{ seq: 1 }, { seq: 2 }]);
    expect(ordered.getKeysCount({ start: ['h', ''], end: ['h', '', '\uffff'] })).toBe(4);
    expect(store.tables.users.getKeysCount({})).toBe(0);
  });

  it('shows a change its own writes in range reads', async () => {
    const store = await open();
    const { events } = store.tables;
    await store.write(() => {
      for (const seq of [1, 2, 3, 4]) events.putSync(seq, seq);
    });
    const seen = await store.write(() => {
      events.removeSync(2);
      events.putSync(3, 'three');
      events.putSync(5, 5);
      events.putSync(0, 0);
      return { forward: [...events.getRange({})].map((e) => e.value), reverse: [...events.getKeys({ reverse: true })] };
    });
    expect(seen.forward).toEqual([0, 1, 'three', 4, 5]);
    expect(seen.reverse).toEqual([5, 4, 3, 1, 0]);
    expect([...events.getRange({})].map((e) => e.value)).toEqual([0, 1, 'three', 4, 5]);
  });

  it('stores nothing of a change that throws, and runs no onCommit callback for it', async () => {
    const store = await open();
    const { meta } = store.tables;
    const committed: string[] = [];
    await store.write((scope) => {
      meta.putSync('a', 1);
      scope.onCommit(() => committed.push('a'));
    });
    const failing = store.write((scope) => {
      meta.putSync('b', 1);
      meta.putSync('a', 'overwritten by b');
      meta.removeSync('a');
      scope.onCommit(() => committed.push('b'));
      throw new Error('b fails halfway');
    });
    await expect(failing).rejects.toThrow('b fails halfway');
    await store.write(() => meta.putSync('c', meta.get('a')));
    expect(meta.get('a')).toBe(1);
    expect(meta.get('b')).toBeUndefined();
    expect(meta.get('c')).toBe(1);
    expect(committed).toEqual(['a']);
  });

  it('keeps the machine indexes as the machine records imply, and shows a change its own index writes', async () => {
    const store = await open();
    const table = new MachineTable(store.tables);
    const alice = { kind: 'user' as const, name: 'alice' };
    await store.write(() => {
      table.save(null, machineRecord('m-a', { status: 'NEW' }));
      table.save(null, machineRecord('m-b', { cores: 4 }));
      table.save(null, machineRecord('m-c', { reservedFor: alice, pool: 'gpu' }));
      table.save(null, machineRecord('m-d', { cores: 2 }));
    });
    expect(indexesRead(store.tables)).toEqual(indexesImplied(store.tables));
    const ids = (machines: Iterable<{ id: string }>): string[] => [...machines].map((m) => m.id);
    const seen = await store.write(() => {
      const before = { ready: ids(table.ready('', null)), alice: ids(table.ready('u:alice', 'gpu')) };
      const b = table.get('m-b')!;
      table.save(b, { ...b, status: 'ALLOCATED', owner: 'bob' });
      const a = table.get('m-a')!;
      table.save(a, { ...a, status: 'READY' });
      const c = table.get('m-c')!;
      table.save(c, { ...c, reservedFor: null });
      return {
        before,
        ready: ids(table.ready('', null)),
        alice: ids(table.ready('u:alice', 'gpu')),
        allocated: ids(table.list({ status: 'ALLOCATED', afterId: '' })),
        bobs: ids(table.listShares(['o:bob'], { status: null, pool: null, afterId: '' })),
        newCount: table.countByStatus('NEW'),
      };
    });
    expect(seen).toEqual({
      before: { ready: ['m-d', 'm-b'], alice: ['m-c'] },
      ready: ['m-d', 'm-a', 'm-c'],
      alice: [],
      allocated: ['m-b'],
      bobs: ['m-b'],
      newCount: 0,
    });
    expect(indexesRead(store.tables)).toEqual(indexesImplied(store.tables));
    // A change that throws after changing a machine leaves its indexes as they were.
    const failing = store.write(() => {
      const d = table.get('m-d')!;
      table.save(d, { ...d, status: 'BROKEN' });
      expect(table.countByStatus('BROKEN')).toBe(1);
      throw new Error('refused after the save');
    });
    await expect(failing).rejects.toThrow('refused after the save');
    expect(table.countByStatus('BROKEN')).toBe(0);
    await store.write(() => table.remove(table.get('m-a')!));
    expect(ids(table.ready('', null))).toEqual(['m-d', 'm-c']);
    expect(indexesRead(store.tables)).toEqual(indexesImplied(store.tables));
  });

  it('runs onCommit callbacks once the change is committed and readable', async () => {
    const store = await open();
    const { meta } = store.tables;
    const order: string[] = [];
    const write = store.write((scope) => {
      meta.putSync('k', 'v');
      scope.onCommit(() => order.push(`callback saw ${String(meta.get('k'))}`));
      order.push('change ran');
    });
    await write;
    order.push('write resolved');
    expect(order).toEqual(['change ran', 'callback saw v', 'write resolved']);
  });
}

describe('store conformance: LMDB', () => {
  const dirs: string[] = [];
  const stores: StoreBackend[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  conformance(() => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-store-'));
    dirs.push(dir);
    const store = Store.open(dir, createLogger('silent'));
    stores.push(store);
    return Promise.resolve(store);
  });
});

describe('store conformance: etcd (3 members)', () => {
  let cluster: EtcdCluster;
  const stores: StoreBackend[] = [];
  let n = 0;
  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
  }, 90_000);
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  });
  afterAll(async () => cluster?.stop());
  conformance(async () => {
    const store = await EtcdStore.open({
      endpoints: cluster.endpoints,
      tls: null,
      prefix: `/conformance-${process.pid}-${n++}`,
      cipher: new SecretCipher(randomBytes(32)),
      logger: createLogger('silent'),
    });
    stores.push(store);
    return store;
  });
});
