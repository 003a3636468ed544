// Issue 12, WatchEvents over real gRPC: a stream lives only as long as its token (revoked or
// expired, it ends UNAUTHENTICATED), and a client that never reads cannot make the coordinator
// hold events without bound: past WATCH_QUEUE_LIMIT waiting events the stream ends with
// RESOURCE_EXHAUSTED naming the event to resume from, while a client that reads the same bursts is
// served in full. Cancelled streams leave nothing behind.
import type * as grpc from '@grpc/grpc-js';
import type { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WATCH_QUEUE_LIMIT } from '../../coordinator/src/api/event-watch.js';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { Event__Output } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { waitFor } from '../harness/ovs.js';

type Watch = ReturnType<CoordinatorClient['watchEvents']>;

/** A watch nobody iterates yet: its errors (CANCELLED on cancel) must not go unhandled. */
function unread(watch: Watch): Watch {
  (watch.events as unknown as EventEmitter).on('error', () => undefined);
  return watch;
}

/**
 * A client that stops reading. grpc-js pulls messages off HTTP/2 without limit until the stream
 * has been read once (they pile up in the client), so it is read once, with nothing consumed:
 * from then on grpc-js keeps 16 messages and pauses the HTTP/2 stream, whose flow-control window
 * then closes, and the server's writes back up, as with any client that does not read.
 */
function stall(watch: Watch): Watch {
  (watch.events as unknown as Readable).read(0);
  return unread(watch);
}

interface Ending {
  readonly seqs: number[];
  /** The status the stream ended with, or 'open' if it had not ended after `patienceMs`. */
  readonly end: { code: number; details: string } | 'open';
}

/** Reads `watch` until it ends or `patienceMs` pass; cancels it in any case. */
async function readUntilEnd(watch: Watch, patienceMs: number): Promise<Ending> {
  const seqs: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const patience = new Promise<'open'>((resolve) => (timer = setTimeout(() => resolve('open'), patienceMs)));
  const reading = (async (): Promise<Ending['end']> => {
    try {
      for await (const event of watch.events) seqs.push(event.seq);
      return { code: 0, details: 'ended' };
    } catch (error) {
      const e = error as grpc.ServiceError;
      return { code: e.code, details: e.details };
    }
  })();
  const end = await Promise.race([reading, patience]);
  clearTimeout(timer);
  watch.cancel();
  return { seqs, end };
}

const UNAUTHENTICATED = 16;
const RESOURCE_EXHAUSTED = 8;

describe('WatchEvents streams', () => {
  let f: CoordinatorFixture;
  let bob: CoordinatorClient;
  const subscribers = (): number => f.coordinator.events.subscriberCount();
  /** Appends `count` events in one transaction (a burst, as one lmdb-js batch publishes it). */
  const burst = (count: number, tag: string): Promise<void> =>
    f.coordinator.store.write((scope) => {
      for (let i = 0; i < count; i++) f.coordinator.events.append(scope, { actor: 'admin', kind: 'test.burst', why: `${tag} ${i}` });
    });

  beforeAll(async () => {
    f = await startCoordinator();
    bob = await f.user('bob', 'member');
    await f.machine('ws-free');
  });
  afterAll(async () => f?.close());

  it('ends a stream UNAUTHENTICATED when its token is revoked, and sends nothing after', async () => {
    const baseline = subscribers();
    const { token, secret } = await bob.call('TenancyService', 'CreateToken', { description: 'watcher' });
    const watcher = f.client(secret);
    const { lastSeq } = await bob.call('EventService', 'ListEvents', { limit: 1 });
    const watch = watcher.watchEvents({ sinceSeq: lastSeq });
    const ending = readUntilEnd(watch, 15_000);
    await waitFor(() => Promise.resolve(subscribers() === baseline + 1), 10_000, 'the watch subscribed');
    await bob.call('TenancyService', 'RevokeToken', { id: token!.id });
    // Events bob could see, after the revocation: none may reach the revoked stream.
    await f.admin.call('MachineService', 'MarkBroken', { machine: 'ws-free', reason: 'after revocation' });
    await f.admin.call('MachineService', 'MarkFixed', { machine: 'ws-free', reason: 'after revocation' });
    const { seqs, end } = await ending;
    expect(end).toEqual({ code: UNAUTHENTICATED, details: 'token revoked' });
    expect(seqs).toEqual([]);
    expect(subscribers()).toBe(baseline);
    expect(f.coordinator.tokens.watchCount()).toBe(0);
  });

  it('ends a stream UNAUTHENTICATED when its token expires, with no event needed to notice', async () => {
    const baseline = subscribers();
    const { secret } = await bob.call('TenancyService', 'CreateToken', { description: 'short', expiresInSeconds: 2 });
    const watch = f.client(secret).watchEvents({});
    const { seqs, end } = await readUntilEnd(watch, 15_000);
    expect(end).toEqual({ code: UNAUTHENTICATED, details: 'token expired' });
    expect(seqs.length).toBeGreaterThan(0); // it was served (bob's own token.created) until then
    expect(subscribers()).toBe(baseline);
    expect(f.coordinator.tokens.watchCount()).toBe(0);
  });

  it('cuts off a client that never reads once its queue passes the bound, naming where to resume', async () => {
    const baseline = subscribers();
    const { lastSeq: start } = await f.admin.call('EventService', 'ListEvents', { limit: 1 });
    // The stalled client has a connection of its own: its full window must not stall the others.
    const stalled = stall(f.client(f.adminToken, { ownConnection: true }).watchEvents({ sinceSeq: start }));
    const reader = f.client(f.adminToken, { ownConnection: true }).watchEvents({ sinceSeq: start });
    const bursts = Math.ceil(WATCH_QUEUE_LIMIT / 1_000) + 2;
    const total = bursts * 1_000;
    const read: number[] = [];
    const readerDone = (async (): Promise<void> => {
      for await (const event of reader.events) {
        read.push(event.seq);
        if (read.length === total) break;
      }
      reader.cancel();
    })();
    await waitFor(() => Promise.resolve(subscribers() === baseline + 2), 10_000, 'both watches subscribed');
    // Bursts of 1000 events, each drained by the reading client before the next; the stalled one
    // never reads, so its events pile up past the bound.
    for (let b = 0; b < bursts; b++) {
      await burst(1_000, `burst ${b}`);
      await waitFor(() => Promise.resolve(read.length === (b + 1) * 1_000), 60_000, `the reader got burst ${b}`);
    }
    await readerDone;
    // The reader was served in full, in order.
    expect(read).toEqual(Array.from({ length: total }, (_, i) => start + 1 + i));
    // The stalled stream gave up its subscription (and its queue) without the client doing anything.
    await waitFor(() => Promise.resolve(subscribers() === baseline), 20_000, 'the stalled watch cut off');
    // Now the stalled client reads: what the transport held for it, then the status.
    const { seqs, end } = await readUntilEnd(stalled, 30_000);
    expect(end).not.toBe('open');
    const { code, details } = end as { code: number; details: string };
    expect(code).toBe(RESOURCE_EXHAUSTED);
    const resumeFrom = Number(/^client too slow, resume from event (\d+) /u.exec(details)?.[1]);
    expect(details).toBe(
      `client too slow, resume from event ${resumeFrom} (since_seq ${resumeFrom - 1}): more than ${WATCH_QUEUE_LIMIT} events were ` +
        'waiting to be sent',
    );
    // Every event before the resume point arrived, in order, and nothing after it.
    expect(seqs).toEqual(Array.from({ length: resumeFrom - 1 - start }, (_, i) => start + 1 + i));
    // What the transport held (grpc-js's buffers and the HTTP/2 window) is small next to the bound:
    // the rest waited in the server's queue, at most WATCH_QUEUE_LIMIT, and was dropped at the cut.
    expect(seqs.length).toBeLessThan(WATCH_QUEUE_LIMIT / 2);
    // Resuming where it says picks up exactly there.
    const resumed = f.admin.watchEvents({ sinceSeq: resumeFrom - 1 });
    const first = await resumed.events[Symbol.asyncIterator]().next();
    resumed.cancel();
    expect((first.value as Event__Output).seq).toBe(resumeFrom);
    await waitFor(() => Promise.resolve(subscribers() === baseline && f.coordinator.tokens.watchCount() === 0), 10_000, 'every watch gone');
  });

  it('frees every subscription and token watch when twenty stalled streams are cancelled', async () => {
    const baseline = subscribers();
    const watchesBefore = f.coordinator.tokens.watchCount();
    expect(watchesBefore).toBe(0);
    const client = f.client(f.adminToken, { ownConnection: true });
    const { lastSeq } = await f.admin.call('EventService', 'ListEvents', { limit: 1 });
    const watches = Array.from({ length: 20 }, () => stall(client.watchEvents({ sinceSeq: lastSeq })));
    await waitFor(() => Promise.resolve(subscribers() === baseline + 20), 20_000, 'twenty watches subscribed');
    expect(f.coordinator.tokens.watchCount()).toBe(watchesBefore + 20);
    await burst(2_000, 'held');
    for (const watch of watches) watch.cancel();
    await waitFor(
      () => Promise.resolve(subscribers() === baseline && f.coordinator.tokens.watchCount() === watchesBefore),
      20_000,
      'all freed',
    );
  });
});
