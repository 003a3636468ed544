// The machine indexes on etcd are derived by every replica from the machine records
// (store/etcd-derived-indexes.ts), on a real 3-member cluster: a coordinator that only follows
// another's commits through the watch, and one that loads the prefix afresh, read the indexes the
// records imply; etcd holds none of their keys; a record no entries can be derived from is left
// out without stopping the watch; and the index keys a prefix of the older layout holds are
// ignored, then deleted when a coordinator brings the prefix to the new schema. Reading records
// leaves the bytes the replica keeps as they came (a decoder's cached view on them would stay as
// long as the record).
import { randomBytes } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { Packr } from 'msgpackr';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import type { Machine } from '../../coordinator/src/machines/machine.js';
import { DERIVED_TABLES } from '../../coordinator/src/store/etcd-derived-indexes.js';
import { EtcdKeyLayout, encodeKey } from '../../coordinator/src/store/etcd-keys.js';
import type { Replica } from '../../coordinator/src/store/etcd-replica.js';
import { EtcdStore } from '../../coordinator/src/store/etcd-store.js';
import { MachineTable } from '../../coordinator/src/store/machine-table.js';
import { SCHEMA_VERSION } from '../../coordinator/src/store/schema.js';
import { SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import { MACHINE_INDEX_NAMES } from '../../coordinator/src/store/tables.js';
import { EtcdCluster } from '../harness/etcd.js';
import { indexesImplied, indexesRead } from '../harness/machine-indexes.js';
import { machineRecord } from '../harness/machine-record.js';

const logger = createLogger('silent');
const cipher = new SecretCipher(randomBytes(32));
const packr = new Packr({ useRecords: false });

/** A mixed fleet: statuses, reservations, owners, pools and costs. */
function fleet(count: number): Machine[] {
  const statuses = ['READY', 'READY', 'ALLOCATED', 'NEW', 'BROKEN'] as const;
  return Array.from({ length: count }, (_, i) => {
    const status = statuses[i % statuses.length]!;
    return machineRecord(`m-${String(i).padStart(3, '0')}`, {
      status,
      cores: 2 + (i % 4),
      pool: i % 3 === 0 ? 'gpu' : 'default',
      reservedFor: i % 7 === 0 ? { kind: 'group', name: 'ops' } : null,
      owner: status === 'ALLOCATED' ? `user-${i % 2}` : null,
    });
  });
}

describe('machine indexes derived by each etcd replica', () => {
  let cluster: EtcdCluster;
  let client: Etcd3;
  const stores: EtcdStore[] = [];
  let n = 0;
  const open = async (prefix: string): Promise<EtcdStore> => {
    const store = await EtcdStore.open({ endpoints: cluster.endpoints, tls: null, prefix, cipher, logger });
    stores.push(store);
    return store;
  };
  /** A store on a prefix of its own, its key layout and its machine table. */
  const fresh = async (): Promise<{ prefix: string; layout: EtcdKeyLayout; a: EtcdStore; onA: MachineTable }> => {
    const prefix = `/derived-${process.pid}-${n++}`;
    const a = await open(prefix);
    return { prefix, layout: new EtcdKeyLayout(prefix), a, onA: new MachineTable(a.tables) };
  };
  /** How many keys of the machine indexes etcd holds under `prefix` (records, delete markers, tombstones). */
  const storedIndexKeys = async (prefix: string): Promise<number> => {
    const layout = new EtcdKeyLayout(prefix);
    let count = 0;
    for (const table of DERIVED_TABLES) {
      for (const [key, end] of [
        [layout.tableStart(table), layout.tableEnd(table)],
        [layout.tombstones(table).key, layout.tombstones(table).rangeEnd],
      ] as const) {
        count += Number((await client.kv.range({ key, range_end: end, count_only: true })).count);
      }
      count += Number((await client.kv.range({ key: layout.deleteMarker(table), count_only: true })).count);
    }
    return count;
  };
  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
    client = new Etcd3({ hosts: cluster.endpoints });
  }, 90_000);
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  });
  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  it("follows another coordinator's commits, loads afresh to the same, and stores no index key", async () => {
    const prefix = `/derived-${process.pid}-${n++}`;
    const a = await open(prefix);
    const b = await open(prefix);
    const onA = new MachineTable(a.tables);
    const machines = fleet(40);
    await a.write(() => {
      for (const machine of machines) onA.save(null, machine);
    });
    // Changes that move every kind of index entry: allocate, release, reserve, move pool, break, delete.
    await Promise.all(
      machines.slice(0, 20).map((machine, i) =>
        a.write(() => {
          const before = onA.get(machine.id)!;
          if (i === 19) return onA.remove(before);
          const after: Machine =
            before.status === 'READY'
              ? { ...before, status: 'ALLOCATED', owner: 'carol' }
              : before.status === 'ALLOCATED'
                ? { ...before, status: 'READY', owner: null, reservedFor: { kind: 'user', name: 'dave' } }
                : { ...before, status: 'BROKEN', pool: 'spare' };
          onA.save(before, after);
        }),
      ),
    );
    await b.awaitRevision(a.revision);
    expect(indexesRead(b.tables)).toEqual(indexesImplied(b.tables));
    expect(indexesRead(b.tables)).toEqual(indexesRead(a.tables));
    const onB = new MachineTable(b.tables);
    expect(onB.countByStatus('READY')).toBe([...onA.list({ status: 'READY', afterId: '' })].length);
    expect([...onB.ready('u:dave', null)].length).toBeGreaterThan(0);
    expect(onB.get(machines[19]!.id)).toBeUndefined();

    const c = await open(prefix);
    expect(indexesRead(c.tables)).toEqual(indexesRead(a.tables));
    expect(await storedIndexKeys(prefix)).toBe(0);
  }, 60_000);

  it('reads records without adding anything to the bytes its replica keeps', async () => {
    const { a, onA } = await fresh();
    const machines = fleet(20);
    await a.write(() => {
      for (const machine of machines) onA.save(null, machine);
    });
    // Reads of every kind: records, the READY index's summaries, listings, and a write that reads.
    for (let round = 0; round < 3; round++) {
      for (const machine of machines) onA.get(machine.id);
      expect([...onA.ready('', null)].length).toBeGreaterThan(0);
      expect([...onA.list({ status: 'READY', afterId: '' })].length).toBeGreaterThan(0);
    }
    await a.write(() => {
      const before = onA.get(machines[0]!.id)!;
      onA.save(before, { ...before, pool: 'moved' });
    });
    const replica = (a as unknown as { replica: Replica }).replica;
    const added: string[] = [];
    for (const table of ['machines', MACHINE_INDEX_NAMES.readyIndex]) {
      for (const [key, entry] of replica.table(table).records()) {
        // A Buffer's own keys are its indices; anything else was put on it.
        const extra = Reflect.ownKeys(entry.bytes).filter((k) => typeof k !== 'string' || !/^\d+$/.test(k));
        if (extra.length > 0) added.push(`${table} ${key}: ${extra.map(String).join(',')}`);
      }
    }
    expect(replica.table('machines').size).toBe(20);
    expect(added).toEqual([]);
  }, 60_000);

  it('leaves out of the indexes a machine record they cannot be derived from, and follows on', async () => {
    const { prefix, layout, a, onA } = await fresh();
    await a.write(() => onA.save(null, machineRecord('m-bad', { status: 'NEW' })));
    expect(onA.countByStatus('NEW')).toBe(1);
    // Not a record any coordinator writes (MachineTable.save would throw on it): READY without ports.
    const bad = { ...machineRecord('m-bad'), ports: undefined };
    await client.put(layout.record('machines', encodeKey('m-bad'))).value(packr.pack(bad));
    await a.write(() => onA.save(null, machineRecord('m-good')));
    expect([...onA.ready('', null)].map((s) => s.id)).toEqual(['m-good']);
    expect(onA.countByStatus('NEW')).toBe(0);
    const b = await open(prefix);
    expect(indexesRead(b.tables)).toEqual(indexesRead(a.tables));
  }, 60_000);

  it('ignores the index keys of the older layout, and deletes them when it brings the prefix to the new schema', async () => {
    const { prefix, layout, a, onA } = await fresh();
    await a.write(() => onA.save(null, machineRecord('m-real')));
    // What a coordinator of the older layout stored beside its machines, here for a machine that
    // is not there: its status, READY and member keys, a tombstone and a delete marker.
    const ghost = machineRecord('m-ghost');
    const stale: [Buffer, Buffer][] = [
      [layout.record('status-index', encodeKey(['READY', 'm-ghost'])), packr.pack(null)],
      [layout.record('ready-index', encodeKey(['h', '', 16, 'm-ghost'])), packr.pack({ id: 'm-ghost', hostname: ghost.hostname })],
      [layout.record('member-index', encodeKey(['v', 'f:', 'm-ghost'])), packr.pack(null)],
      [Buffer.concat([layout.tombstones('ready-index').key, Buffer.from(encodeKey(['h', '', 16, 'm-gone']), 'latin1')]), Buffer.alloc(0)],
      [layout.deleteMarker('status-index'), Buffer.alloc(0)],
      [layout.record('meta', encodeKey('schemaVersion')), packr.pack(9)],
    ];
    const put = await client.kv.txn({ compare: [], success: stale.map(([key, value]) => ({ request_put: { key, value } })), failure: [] });
    // A follows them through its watch and ignores every one.
    await a.awaitRevision(Number(put.header.revision));
    expect(a.tables.meta.get('schemaVersion')).toBe(9);
    expect(indexesRead(a.tables)).toEqual(indexesImplied(a.tables));
    expect(onA.countByStatus('READY')).toBe(1);

    // B loads them, ignores them, brings the schema to this version and deletes them.
    const b = await open(prefix);
    expect(b.tables.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
    expect(indexesRead(b.tables)).toEqual(indexesImplied(b.tables));
    expect([...new MachineTable(b.tables).ready('', null)].map((s) => s.id)).toEqual(['m-real']);
    expect(await storedIndexKeys(prefix)).toBe(0);
    await a.awaitRevision(b.revision);
    expect(indexesRead(a.tables)).toEqual(indexesRead(b.tables));
  }, 60_000);
});
