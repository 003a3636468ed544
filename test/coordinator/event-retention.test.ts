// Event retention on both store backends (a real LMDB file; a real etcd member with two stores on
// one prefix, as two coordinators): the duty prunes by age and by count in chunked transactions,
// raises the log's floor with them, always keeps the newest event, and a paused holder prunes
// nothing. A reader from a pruned seq gets OUT_OF_RANGE naming the floor (store level and over
// gRPC), 0 reads from the oldest kept, and the numbering goes on after the newest. On etcd the
// other coordinator's replica drops the pruned events, and the keys are gone from etcd itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Etcd3 } from 'etcd3';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../coordinator/src/clock.js';
import { EventsPrunedError } from '../../coordinator/src/events/errors.js';
import { EventLog } from '../../coordinator/src/events/event-log.js';
import { EventRetention, PRUNE_CHUNK, type EventRetentionOptions } from '../../coordinator/src/events/event-retention.js';
import { ActDeadline } from '../../coordinator/src/ha/act-deadline.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { EtcdStore } from '../../coordinator/src/store/etcd-store.js';
import { SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import { Store } from '../../coordinator/src/store/store.js';
import type { StoreBackend } from '../../coordinator/src/store/store-backend.js';
import type { Event__Output } from '../../proto/generated/index.js';
import { startCoordinator } from '../harness/coordinator-fixture.js';
import { EtcdCluster } from '../harness/etcd.js';
import { STORE_BACKENDS, stopEtcd, storeFlags, type StoreBackendName } from '../harness/store-backends.js';

const logger = createLogger('silent');
const DAY = 86_400_000;

let cluster: Promise<EtcdCluster> | null = null;
let prefixes = 0;
const cleanups: (() => Promise<void> | void)[] = [];

/** Opens a store on `backend`; `again()` opens another on the same data (a second coordinator on etcd, a reopen on LMDB). */
async function openStore(backend: StoreBackendName): Promise<{ store: StoreBackend; again: () => Promise<StoreBackend>; prefix: string }> {
  if (backend === 'lmdb') {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-retention-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = Store.open(dir, logger);
    return {
      store,
      prefix: '',
      again: async () => {
        await store.close();
        return Store.open(dir, logger);
      },
    };
  }
  cluster ??= EtcdCluster.start(1);
  const { endpoints } = await cluster;
  const options = {
    endpoints,
    tls: null,
    prefix: `/retention-${process.pid}-${++prefixes}`,
    cipher: new SecretCipher(randomBytes(32)),
    logger,
  };
  const store = await EtcdStore.open(options);
  return { store, prefix: options.prefix, again: () => EtcdStore.open(options) };
}

function retention(
  store: StoreBackend,
  events: EventLog,
  clock: ManualClock,
  options: EventRetentionOptions,
  deadline = ActDeadline.create(),
) {
  let pruned = 0;
  const duty = new EventRetention({ store, events, clock, options, actDeadline: deadline, logger, onPruned: (n) => (pruned += n) });
  return { duty, pruned: () => pruned };
}

async function append(store: StoreBackend, events: EventLog, tag: string, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      store.write((scope) => events.append(scope, { actor: 'test', kind: 'test.event', why: `${tag}-${i}` })),
    ),
  );
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  if (cluster) await (await cluster).stop();
  await stopEtcd();
});

describe.each(STORE_BACKENDS)('event retention on %s', (backend) => {
  it('prunes by age and by count, raises the floor, keeps the newest, and tells a reader from a pruned seq', async () => {
    const { store, again, prefix } = await openStore(backend);
    const clock = new ManualClock();
    const events = new EventLog(store.tables, clock);
    // Appended in order within each group; 150 old ones take two chunks to prune.
    await append(store, events, 'old', 150);
    clock.advance(91 * DAY);
    await append(store, events, 'new', 60);
    const before = [...events.since(0)];
    expect(before).toHaveLength(210);
    const seqs = before.map((e) => e.seq);

    // By age: everything older than 90 days.
    const byAge = retention(store, events, clock, { days: 90, max: 0 });
    expect(await byAge.duty.pruneNow()).toBe(150);
    expect(byAge.pruned()).toBe(150);
    expect(150).toBeGreaterThan(PRUNE_CHUNK);
    const floor = events.prunedThrough();
    expect(floor).toBe(seqs[149]);
    expect([...events.since(0)].map((e) => e.why)).toEqual(Array.from({ length: 60 }, (_, i) => `new-${i}`));
    expect([...events.since(floor)]).toHaveLength(60);
    const stale = (): unknown => [...events.since(seqs[10]!)];
    expect(stale).toThrow(EventsPrunedError);
    expect(stale).toThrow(`since_seq ${seqs[10]}: the events through seq ${floor} were pruned`);
    expect(await byAge.duty.pruneNow()).toBe(0);

    // A holder paused past its lease prunes nothing.
    const paused = retention(store, events, clock, { days: 0, max: 10 }, ActDeadline.create(0));
    expect(await paused.duty.pruneNow()).toBe(0);
    expect(events.count()).toBe(60);

    // By count: the newest 25 stay.
    const byCount = retention(store, events, clock, { days: 0, max: 25 });
    expect(await byCount.duty.pruneNow()).toBe(35);
    expect([...events.since(0)].map((e) => e.why)).toEqual(Array.from({ length: 25 }, (_, i) => `new-${35 + i}`));
    expect(events.prunedThrough()).toBe(seqs[184]);

    // Everything is old now: the newest event stays, and the numbering goes on after it.
    clock.advance(200 * DAY);
    expect(await byAge.duty.pruneNow()).toBe(24);
    expect([...events.since(0)].map((e) => e.seq)).toEqual([seqs[209]]);
    await append(store, events, 'after', 1);
    const [newest, next] = [...events.since(0)];
    expect(newest!.seq).toBe(seqs[209]);
    expect(next!.seq).toBeGreaterThan(seqs[209]!);

    // Another coordinator on the prefix (etcd), or the store reopened (LMDB): the same log and floor.
    const other = await again();
    cleanups.push(() => other.close());
    const otherEvents = new EventLog(other.tables, clock);
    await until(() => otherEvents.count() === 2, 'the other store to show the pruned log');
    expect([...otherEvents.since(0)].map((e) => e.seq)).toEqual([newest!.seq, next!.seq]);
    expect(otherEvents.prunedThrough()).toBe(seqs[208]);
    if (backend === 'etcd') {
      // The first store's replica followed the floor too, and etcd holds only the two kept.
      expect(events.count()).toBe(2);
      const { endpoints } = await cluster!;
      const client = new Etcd3({ hosts: [...endpoints] });
      try {
        expect(await client.getAll().prefix(`${prefix}/t/events/`).count()).toBe(2);
      } finally {
        client.close();
      }
      await store.close();
    }
  }, 90_000);

  it('answers OUT_OF_RANGE over gRPC for a pruned seq, and holds the duty', async () => {
    const f = await startCoordinator({ flags: await storeFlags(backend) });
    cleanups.push(() => f.close());
    await until(() => f.coordinator.heldDuties().includes('event-retention'), 'the coordinator to hold the event retention');
    for (let i = 0; i < 4; i++) await f.machine(`keep-${i}`);
    const { lastSeq } = await f.admin.call('EventService', 'ListEvents', { limit: 1 });
    const all = (await f.admin.call('EventService', 'ListEvents', { sinceSeq: 0, limit: 1000 })).events;
    expect(all.length).toBeGreaterThan(10);
    const clock = new ManualClock();
    const { duty } = retention(f.coordinator.store, f.coordinator.events, clock, { days: 0, max: 5 });
    expect(await duty.pruneNow()).toBe(all.length - 5);
    const floor = f.coordinator.events.prunedThrough();
    const oldSeq = Number(all[0]!.seq);

    const refusal = { code: grpc.status.OUT_OF_RANGE, details: expect.stringContaining(`the events through seq ${floor} were pruned`) };
    await expect(f.admin.call('EventService', 'ListEvents', { sinceSeq: oldSeq })).rejects.toMatchObject(refusal);
    const watched: Event__Output[] = [];
    await expect(
      (async () => {
        for await (const event of f.admin.watchEvents({ sinceSeq: oldSeq, noFollow: true }).events) watched.push(event);
      })(),
    ).rejects.toMatchObject(refusal);
    expect(watched).toEqual([]);
    const kept = (await f.admin.call('EventService', 'ListEvents', { sinceSeq: 0 })).events;
    expect(kept.map((e) => Number(e.seq))).toEqual(all.slice(-5).map((e) => Number(e.seq)));
    expect(Number(kept[kept.length - 1]!.seq)).toBe(Number(lastSeq));
    const replay: Event__Output[] = [];
    for await (const event of f.admin.watchEvents({ sinceSeq: floor, noFollow: true }).events) replay.push(event);
    expect(replay).toHaveLength(5);
  }, 60_000);
});
