// The event log on an etcd prefix shared by three coordinators (real etcd, three real stores with
// their own replicas and watches): an appended event reads no tail (store/etcd-sequenced.ts), so
// coordinators that only append never conflict; its seq comes from the revision of the commit, so
// every coordinator sees one order, events copied from LMDB with their own seqs come first, a
// machine's events keep the order of its changes, and reading on from any seq gives exactly the
// events after it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../coordinator/src/clock.js';
import { EventLog, type CoordinatorEvent } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { EtcdStore } from '../../coordinator/src/store/etcd-store.js';
import { SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import { EtcdCluster } from '../harness/etcd.js';

const logger = createLogger('silent');
const cipher = new SecretCipher(randomBytes(32));
const PER_COORDINATOR = 30;
const MACHINES = ['m-a', 'm-b', 'm-c'];

interface Side {
  readonly store: EtcdStore;
  readonly events: EventLog;
  readonly seen: CoordinatorEvent[];
  reruns: number;
}

describe('the event log shared by three coordinators on etcd', () => {
  let cluster: EtcdCluster;
  const sides: Side[] = [];
  beforeAll(async () => {
    cluster = await EtcdCluster.start(1);
  }, 60_000);
  afterAll(async () => {
    for (const side of sides) await side.store.close().catch(() => undefined);
    await cluster?.stop();
  });

  it('appends without conflicts, numbers by commit, and shows every coordinator one order', async () => {
    const prefix = `/event-seq-${process.pid}`;
    for (let i = 0; i < 3; i++) {
      const store = await EtcdStore.open({ endpoints: cluster.endpoints, tls: null, prefix, cipher, logger, batchWrites: true });
      const events = new EventLog(store.tables, systemClock);
      events.follow(store.changes);
      const side: Side = { store, events, seen: [], reruns: 0 };
      events.subscribe((event) => side.seen.push(event));
      store.onCommitTimed((_failed, _seconds, reruns) => (side.reruns += reruns));
      sides.push(side);
    }
    // Three events as `migrate` copies them from LMDB: under their own seqs, before any appended one.
    const [first] = sides;
    await first!.store.write(() => {
      for (let seq = 1; seq <= 3; seq++) {
        const copied = {
          seq,
          time: 0,
          actor: 'lmdb',
          kind: 'test.copied',
          machineId: null,
          fromStatus: null,
          toStatus: null,
          why: `copied ${seq}`,
          details: {},
        };
        first!.store.tables.events.putSync(seq, copied);
      }
    });

    // Appends only, all at once from three coordinators: nothing read, so nothing to conflict on.
    await Promise.all(
      sides.flatMap((side, c) =>
        Array.from({ length: PER_COORDINATOR }, (_, k) =>
          side.store.write((scope) => side.events.append(scope, { actor: `c${c}`, kind: 'test.append', why: `c${c}-${k}` })),
        ),
      ),
    );
    expect(sides.map((s) => s.reruns)).toEqual([0, 0, 0]);

    // Changes of three machines from every coordinator: each reads and bumps its machine's counter
    // (so the changes of one machine conflict and commit one after the other) and logs the count.
    await Promise.all(
      sides.flatMap((side, c) =>
        Array.from({ length: 12 }, (_, k) => {
          const machineId = MACHINES[k % MACHINES.length]!;
          return side.store.write((scope) => {
            const count = ((side.store.tables.meta.get(machineId) as number | undefined) ?? 0) + 1;
            side.store.tables.meta.putSync(machineId, count);
            side.events.append(scope, { actor: `c${c}`, kind: 'test.count', machineId, why: String(count) });
          });
        }),
      ),
    );

    const total = 3 + 3 * PER_COORDINATOR + 3 * 12;
    const deadline = Date.now() + 20_000;
    while (sides.some((s) => s.store.tables.events.getKeysCount() < total) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const logs = sides.map((s) => [...s.events.since(0)]);
    for (const log of logs) expect(log).toHaveLength(total);
    // One order everywhere: the same seqs, strictly increasing, the copied events first.
    const seqs = logs[0]!.map((e) => e.seq);
    for (const log of logs) expect(log.map((e) => e.seq)).toEqual(seqs);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
    expect(seqs.slice(0, 3)).toEqual([1, 2, 3]);
    expect(new Set(logs[0]!.map((e) => `${e.machineId}:${e.why}`)).size).toBe(total);
    // What each coordinator's watchers were handed, each once, is that order too.
    for (const side of sides) expect(side.seen.map((e) => e.seq)).toEqual(seqs);
    // A machine's events in seq order count up: the log keeps the order of its changes.
    for (const machineId of MACHINES) {
      const counts = logs[0]!.filter((e) => e.machineId === machineId).map((e) => Number(e.why));
      expect(counts).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    }
    // Reading on from any seq (a watcher resuming) gives exactly the events after it.
    for (const at of [0, 2, 3, 10, 50, seqs.length - 1]) {
      expect([...sides[at % 3]!.events.since(seqs[at]!)].map((e) => e.seq)).toEqual(seqs.slice(at + 1));
    }
    expect(sides[1]!.events.lastSeq()).toBe(seqs[seqs.length - 1]);
  }, 90_000);
});
