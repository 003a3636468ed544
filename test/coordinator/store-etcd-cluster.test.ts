// Several coordinators on one etcd prefix, on a real 3-member etcd cluster. Two, then three stores
// ("coordinators") allocate the READY machines concurrently through the real allocation code
// (Allocator -> MachineWriter -> EventLog): no machine is handed out twice, the union of the
// answers is what etcd holds, and every allocation has its own event. Allocators that start at
// different places among equally cheap machines (allocation/start-share.ts) take them without a
// single rerun, while two at one place still conflict. One store's concurrent
// writes share Txns (etcd-write-batch.ts): a change that throws or outgrows the Txn does not take
// the others of its batch down with it. Then the members fail:
// with one down writes go on; with two down a write fails UNAVAILABLE naming the lost quorum; once
// the quorum is back writes resume and every acknowledged write is there. The members run with
// GOMAXPROCS at their share of the host's cores (test/harness/etcd.ts).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Allocator } from '../../coordinator/src/allocation/allocator.js';
import { NO_CONSTRAINTS } from '../../coordinator/src/allocation/constraints.js';
import { NoMachineAvailableError } from '../../coordinator/src/allocation/errors.js';
import { systemClock } from '../../coordinator/src/clock.js';
import { EventLog, type CoordinatorEvent } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { MachineWriter } from '../../coordinator/src/machines/machine-writer.js';
import type { Machine } from '../../coordinator/src/machines/machine.js';
import { EtcdUnavailableError } from '../../coordinator/src/store/etcd-errors.js';
import { EtcdStore, type EtcdStoreOptions } from '../../coordinator/src/store/etcd-store.js';
import { MachineTable } from '../../coordinator/src/store/machine-table.js';
import { SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import { EtcdCluster, memberGoMaxProcs } from '../harness/etcd.js';
import { machineRecord } from '../harness/machine-record.js';

const logger = createLogger('silent');

function readyMachine(i: number): Machine {
  const now = Date.now();
  return machineRecord(`m-${String(i).padStart(3, '0')}`, {
    hostname: `host-${i}`,
    cores: 2 + (i % 5),
    memoryMib: 4096 * (1 + (i % 3)),
    powerState: 'unknown',
    createdAt: now,
    updatedAt: now,
  });
}

/** What one coordinator builds over its store for allocation; `share`: where it starts among equally cheap machines. */
function allocationOn(store: EtcdStore, share = 0): { allocator: Allocator; table: MachineTable } {
  const table = new MachineTable(store.tables);
  const events = new EventLog(store.tables, systemClock);
  const writer = new MachineWriter({ table, events, autoReservation: () => null, clock: systemClock, logger });
  return { allocator: new Allocator({ store, table, writer, startShare: () => share }), table };
}

/** Writes that ran their change again after a conflict, counted from the store's commit timings. */
function countReruns(stores: readonly EtcdStore[]): () => number {
  let reruns = 0;
  for (const store of stores) store.onCommitTimed((_failed, _seconds, n) => void (reruns += n));
  return () => reruns;
}

describe('coordinators sharing an etcd prefix', () => {
  let cluster: EtcdCluster;
  const stores: EtcdStore[] = [];
  const cipher = new SecretCipher(randomBytes(32));
  let n = 0;
  const prefixes: string[] = [];
  const open = async (prefix: string, options: Partial<EtcdStoreOptions> = {}): Promise<EtcdStore> => {
    const store = await EtcdStore.open({ endpoints: cluster.endpoints, tls: null, prefix, cipher, logger, ...options });
    stores.push(store);
    return store;
  };
  const newPrefix = (): string => {
    prefixes.push(`/cluster-${process.pid}-${n++}`);
    return prefixes[prefixes.length - 1]!;
  };
  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
  }, 90_000);
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  });
  afterAll(async () => cluster?.stop());

  it('runs each member with GOMAXPROCS at its share of the cores, at least 1', () => {
    expect([memberGoMaxProcs(3, 2), memberGoMaxProcs(3, 8), memberGoMaxProcs(1, 2)]).toEqual([1, 2, 2]);
    const share = String(memberGoMaxProcs(cluster.size));
    for (const pid of cluster.pids) {
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environment).toContain(`GOMAXPROCS=${share}`);
    }
  });

  it.each([2, 3])(
    'never hands one machine to two callers when %i coordinators allocate at once',
    async (count) => {
      const prefix = newPrefix();
      const coordinators: EtcdStore[] = [];
      for (let i = 0; i < count; i++) coordinators.push(await open(prefix, { batchWrites: true }));
      const machines = Array.from({ length: 24 }, (_, i) => readyMachine(i));
      const seed = new MachineTable(coordinators[0]!.tables);
      // One machine per write, all at once: the store batches them into as few Txns as etcd's 128
      // operations allow (a machine with its indexes is about eight).
      await Promise.all(machines.map((machine) => coordinators[0]!.write(() => seed.save(null, machine))));
      const sides = coordinators.map((store) => allocationOn(store));
      const principal = { user: 'alice', role: 'member' as const, groups: [] };
      const options = { dryRun: false, annotations: {}, reason: 'test', cancelled: () => false };
      // 64 callers, spread round-robin over the coordinators, all started in one turn.
      const outcomes = await Promise.allSettled(
        Array.from({ length: 64 }, (_, i) => sides[i % count]!.allocator.allocate(principal, NO_CONSTRAINTS, options)),
      );
      const given = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.id] : []));
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(new Set(given).size).toBe(given.length); // no machine twice
      expect(given.length).toBe(machines.length);
      for (const reason of refused) expect(reason).toBeInstanceOf(NoMachineAvailableError);

      // What etcd holds, read by a third coordinator that starts now.
      const c = await open(prefix);
      const table = new MachineTable(c.tables);
      const allocated = [...table.list({ status: 'ALLOCATED', afterId: '' })].map((m) => m.id);
      expect(allocated.sort()).toEqual([...given].sort());
      expect([...table.allReady()]).toEqual([]);
      // One event per allocation, none overwritten, in seq order (numbered by their commits:
      // store/etcd-sequenced.ts), each filed under its own seq.
      const stored = [...c.tables.events.getRange({})];
      const events = stored.map((e) => e.value as CoordinatorEvent);
      expect(events).toHaveLength(machines.length);
      expect(stored.map((e) => e.key)).toEqual(events.map((e) => e.seq));
      for (let i = 1; i < events.length; i++) expect(events[i]!.seq).toBeGreaterThan(events[i - 1]!.seq);
      expect(events.map((e) => e.machineId).sort()).toEqual([...given].sort());
    },
    120_000,
  );

  it('allocators starting at different places of one cost class do not conflict; at one place they do', async () => {
    const prefix = newPrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    // Twelve machines of one cost, ids spread over the id space as the registry's random ones are.
    const ids = Array.from(
      { length: 12 },
      (_, i) =>
        `m-${Math.floor((i / 12) * 2 ** 48)
          .toString(16)
          .padStart(12, '0')}`,
    );
    const seed = new MachineTable(a.tables);
    await a.write(() => {
      for (const id of ids) seed.save(null, machineRecord(id, { cores: 4, memoryMib: 8192, createdAt: 1, updatedAt: 1 }));
    });
    await b.write(() => undefined); // b's replica has them
    const principal = { user: 'alice', role: 'member' as const, groups: [] };
    const options = { dryRun: false, annotations: {}, reason: 'test', cancelled: () => false };
    const reruns = countReruns([a, b]);
    // Coordinator 0 of 2 starts at the class's first id, coordinator 1 half way: started in one
    // turn, both changes read the same revision, and neither read the machine the other took.
    const [first, half] = [allocationOn(a, 0), allocationOn(b, 0.5)];
    const picks: string[][] = [];
    for (let round = 0; round < 3; round++) {
      // Each replica shows the other's last commit first: a change that read a replica behind it
      // would conflict on what that commit changed, which is lag, not the start places.
      const revision = Math.max(a.revision, b.revision);
      await Promise.all([a.awaitRevision(revision), b.awaitRevision(revision)]);
      const pair = await Promise.all([
        first.allocator.allocate(principal, NO_CONSTRAINTS, options),
        half.allocator.allocate(principal, NO_CONSTRAINTS, options),
      ]);
      picks.push(pair.map((m) => m.id));
    }
    expect(picks).toEqual([0, 1, 2].map((i) => [ids[i], ids[6 + i]]));
    expect(reruns()).toBe(0);
    // The same start on both: both choose one machine and read its record; one takes it, and the other runs again.
    const [again, same] = [allocationOn(a, 0.5), allocationOn(b, 0.5)];
    const pair = await Promise.all([
      again.allocator.allocate(principal, NO_CONSTRAINTS, options),
      same.allocator.allocate(principal, NO_CONSTRAINTS, options),
    ]);
    expect(pair.map((m) => m.id).sort()).toEqual([ids[9], ids[10]]);
    expect(reruns()).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("commits a batch of one store's writes around a change that throws, and splits a batch past etcd's operation limit", async () => {
    const prefix = newPrefix();
    const store = await open(prefix, { maxTxnOps: 16, batchWrites: true });
    const { meta } = store.tables;
    // Started in one turn: the first goes alone, the rest gather behind it and share Txns. Each
    // puts two keys, so sixteen operations hold seven of them (one write is P/rev, one the tag).
    const before = store.revision;
    const carried: number[] = [];
    store.onTransactionCommitted((n) => carried.push(n));
    const writes = Array.from({ length: 20 }, (_, i) =>
      store.write(() => {
        const previous = meta.get(`batch/${i - 1}`) as number | undefined;
        meta.putSync(`batch/${i}`, i);
        if (i === 5) throw new Error('change 5 refuses');
        meta.putSync(`saw/${i}`, previous ?? -1);
        return i;
      }),
    );
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual(
      Array.from({ length: 20 }, (_, i) => (i === 5 ? 'change 5 refuses' : i)),
    );
    // One revision per Txn (nothing else writes to the cluster now): 1 alone, then 7, 7 and 4 changes.
    expect(store.revision - before).toBe(4);
    // The writes each Txn carried, as the store reports them: change 5 threw in the second, which carried seven others.
    expect(carried).toEqual([1, 7, 7, 4]);
    const fresh = await open(prefix);
    const keys = (from: string): string[] => [...fresh.tables.meta.getKeys({ start: from, end: `${from}\uffff` })] as string[];
    // Change 5 stored nothing, not even the key it put before it threw, and change 6 (in its batch) did not see that key.
    expect(keys('batch/')).toHaveLength(19);
    expect(fresh.tables.meta.get('batch/5')).toBeUndefined();
    for (let i = 0; i < 20; i++) if (i !== 5) expect(fresh.tables.meta.get(`saw/${i}`)).toBe(i === 0 || i === 6 ? -1 : i - 1);
    expect(keys('saw/')).toHaveLength(19);
  }, 60_000);

  it('commits the writes asked for before close (a gathering batch at once) and refuses writes after it', async () => {
    const prefix = newPrefix();
    // A window far longer than the test's timeout: the close must not wait it out.
    const store = await open(prefix, { batchWrites: true, batchGatherMs: 60_000 });
    const carried: number[] = [];
    store.onTransactionCommitted((writes) => carried.push(writes));
    const put = (key: string): Promise<void> => store.write(() => store.tables.meta.putSync(`close/${key}`, 1));
    const [a, b, c] = [put('a'), put('b'), put('c')]; // a alone, then b and c in one Txn
    await a;
    await new Promise((resolve) => setImmediate(resolve));
    const d = put('d'); // while [b, c] is in flight: after it, d gathers for a second write
    await Promise.all([b, c]);
    await store.close();
    await d; // committed, not failed by the closing client
    expect(carried).toEqual([1, 2, 1]);
    await expect(put('e')).rejects.toThrow(/closed/);
    const fresh = await open(prefix);
    expect(['a', 'b', 'c', 'd', 'e'].map((key) => fresh.tables.meta.get(`close/${key}`))).toEqual([1, 1, 1, 1, undefined]);
  }, 20_000);

  it('fails only the write whose onCommit callback throws (it is committed), and later writes go on', async () => {
    const store = await open(newPrefix(), { batchWrites: true });
    const { meta } = store.tables;
    const failing = store.write((scope) => {
      meta.putSync('cb/1', 1);
      scope.onCommit(() => {
        throw new Error('callback broke');
      });
    });
    const next = store.write(() => meta.putSync('cb/2', 2));
    await expect(failing).rejects.toThrow('callback broke');
    await next; // queued behind it: the queue must go on
    await store.write(() => meta.putSync('cb/3', 3));
    expect([meta.get('cb/1'), meta.get('cb/2'), meta.get('cb/3')]).toEqual([1, 2, 3]);
  }, 30_000);

  it('reruns a change whose range read another coordinator changed (no write skew), and one whose key was removed', async () => {
    const prefix = newPrefix();
    const a = await open(prefix);
    const b = await open(prefix);
    // Each claims the slot only if the range holds no claim yet: run at once, exactly one may win.
    const claim = (store: EtcdStore, name: string): Promise<boolean> =>
      store.write(() => {
        if (store.tables.meta.getKeysCount({ start: 'claim/', end: 'claim/\uffff' }) > 0) return false;
        store.tables.meta.putSync(`claim/${name}`, name);
        return true;
      });
    const won = await Promise.all([claim(a, 'a'), claim(b, 'b')]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const c = await open(prefix);
    expect([...c.tables.meta.getKeys({ start: 'claim/', end: 'claim/\uffff' })]).toHaveLength(1);

    // A queue of three: each pop takes the first entry of the range and removes it; no entry is taken twice.
    await a.write(() => {
      for (const item of ['q1', 'q2', 'q3']) a.tables.meta.putSync(`queue/${item}`, item);
    });
    const pop = (store: EtcdStore): Promise<string | null> =>
      store.write(() => {
        for (const { key, value } of store.tables.meta.getRange({ start: 'queue/', end: 'queue/\uffff', limit: 1 })) {
          store.tables.meta.removeSync(key);
          return value as string;
        }
        return null;
      });
    const popped = await Promise.all([pop(a), pop(b), pop(a), pop(b)]);
    expect(popped.filter((p) => p !== null).sort()).toEqual(['q1', 'q2', 'q3']);
    expect(popped.filter((p) => p === null)).toHaveLength(1);
  }, 60_000);

  it('keeps writing with one member down, fails UNAVAILABLE without a quorum, and loses nothing', async () => {
    const prefix = newPrefix();
    // The write without a quorum is sent again until unavailableRetryMs runs out: 6 s, not the
    // default 10 s (room for a second call after one that waited its whole deadline).
    const store = await open(prefix, { callTimeoutMs: 3000, unavailableRetryMs: 6000 });
    const { meta } = store.tables;
    await store.write(() => meta.putSync('k1', 'before any failure'));

    const leader = await cluster.leader();
    const follower = [0, 1, 2].find((i) => i !== leader)!;
    await cluster.kill(follower);
    await store.write(() => meta.putSync('k2', 'one member down'));
    expect(meta.get('k2')).toBe('one member down');

    await cluster.kill(leader); // one member of three left: no quorum
    const error = await store
      .write(() => meta.putSync('k3', 'no quorum'))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(EtcdUnavailableError);
    expect((error as EtcdUnavailableError).kind).toBe('unavailable');
    expect((error as Error).message).toMatch(/^etcd store unavailable: .*(quorum|reachable|deadline)/);
    expect(store.diskState.type).toBe('failing');

    await cluster.restart(leader);
    await cluster.restart(follower);
    // The client's per-member circuit breakers reopen within seconds: retry until a write goes through.
    for (let attempt = 0; ; attempt++) {
      const done = await store
        .write(() => meta.putSync('k4', 'quorum back'))
        .then(
          () => true,
          () => false,
        );
      if (done) break;
      if (attempt > 60) throw new Error('writes did not resume after the quorum returned');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(store.diskState.type).toBe('writable');

    const fresh = await open(prefix);
    expect(fresh.tables.meta.get('k1')).toBe('before any failure');
    expect(fresh.tables.meta.get('k2')).toBe('one member down');
    expect(fresh.tables.meta.get('k4')).toBe('quorum back');
    if ((error as EtcdUnavailableError).outcome === 'not-applied') expect(fresh.tables.meta.get('k3')).toBeUndefined();
  }, 180_000);
});
