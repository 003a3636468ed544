// The console's event stream (GET /api/events, Server-Sent Events from EventService.WatchEvents)
// and the end of sessions, against a real coordinator: live machine events with the API's
// visibility, resuming by Last-Event-ID (from the present, after a resync frame, when the event it
// names was pruned), and a revoked token or deleted user ending its sessions and their open streams
// at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../coordinator/src/clock.js';
import { EventRetention } from '../../coordinator/src/events/event-retention.js';
import { ActDeadline } from '../../coordinator/src/ha/act-deadline.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { ConsoleClient, type SseFrame } from './console-client.js';

let f: CoordinatorFixture;
const clients: ConsoleClient[] = [];

async function tokenFor(user: string): Promise<{ secret: string; id: string }> {
  const made = await f.admin.call('TenancyService', 'CreateToken', { user, description: 'console test' });
  return { secret: made.secret, id: made.token?.id ?? '' };
}

async function signedIn(secret: string): Promise<ConsoleClient> {
  const c = new ConsoleClient(f.coordinator.consoleUrl ?? '', f.caPem);
  clients.push(c);
  expect((await c.signIn(secret)).status).toBe(200);
  return c;
}

function data(frame: SseFrame | null): Record<string, unknown> {
  if (!frame) throw new Error('the stream ended');
  return JSON.parse(frame.data) as Record<string, unknown>;
}

async function lastSeq(): Promise<number> {
  return (await f.admin.call('EventService', 'ListEvents', { limit: 1 })).lastSeq;
}

beforeAll(async () => {
  f = await startCoordinator();
  await f.user('alice', 'member');
  await f.user('bob', 'member');
  for (const name of ['e-one', 'e-two']) await f.machine(name);
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await f?.close();
});

describe('/api/events', () => {
  it("delivers a machine event live, as proto3 JSON with the seq as its id, with the member's visibility", async () => {
    const alice = await signedIn((await tokenFor('alice')).secret);
    const since = await lastSeq();
    const stream = await alice.events({ since });
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    // bob's allocation is not alice's to see; her own is, and it comes after bob's in the log.
    const bob = f.client((await tokenFor('bob')).secret);
    await bob.call('MachineService', 'AllocateMachine', { constraints: { name: 'e-two' } });
    await f
      .client((await tokenFor('alice')).secret)
      .call('MachineService', 'AllocateMachine', { constraints: { name: 'e-one' }, annotations: { why: 'console' } });
    const first = await stream.next();
    expect(first?.event).toBe('mooring');
    const event = data(first);
    expect(event).toMatchObject({ actor: 'alice', machine_id: expect.any(String) as string, to_status: 'ALLOCATED' });
    expect(Number(event['seq'])).toBeGreaterThan(since);
    expect(first?.id).toBe(event['seq']);
    const one = await f.admin.call('MachineService', 'GetMachine', { machine: 'e-one' });
    expect(event['machine_id']).toBe(one.id);
    stream.close();
  });

  it('resumes after Last-Event-ID: what came after it is replayed, nothing before', async () => {
    const admin = await signedIn(f.adminToken);
    const from = await lastSeq();
    await f.admin.call('MachineService', 'AnnotateMachine', { machine: 'e-one', set: { step: 'a' } });
    await f.admin.call('MachineService', 'AnnotateMachine', { machine: 'e-one', set: { step: 'b' } });
    const live = await admin.events({ since: from });
    const a = await live.next();
    live.close();
    // The browser reconnects with the last id it saw: only the later event is replayed.
    const resumed = await admin.events({ lastEventId: a?.id ?? '' });
    const b = data(await resumed.next());
    expect(Number(b['seq'])).toBe(Number(a?.id) + 1);
    expect(b).toMatchObject({ actor: 'admin', details: { set: 'step' } });
    resumed.close();

    const bad = await admin.request('GET', '/api/events?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('since') });
  });

  it('drops a reader that lets the stream back up past the bounded buffer, naming where to resume', async () => {
    const admin = await signedIn(f.adminToken);
    const since = await lastSeq();
    const stream = await admin.events({ since });
    expect((await admin.rpc('MachineService', 'ListMachines')).status).toBe(200); // the watch is live by now
    // A burst written to the real log while the reader reads nothing: more events than the watch's
    // queue (WATCH_QUEUE_LIMIT, 10,000) plus everything the sockets on the way can hold.
    const total = 60_000;
    const { store, events } = f.coordinator;
    for (let written = 0; written < total; written += 2000) {
      await store.write((scope) => {
        for (let i = 0; i < 2000; i++) events.append(scope, { actor: 'admin', kind: 'test.burst', why: `burst ${written + i}` });
      });
    }
    const seqs: number[] = [];
    const ended = await stream.until((frame) => {
      if (frame.event === 'mooring') seqs.push(Number(frame.id));
      return frame.event === 'error';
    });
    expect(data(ended)).toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: expect.stringMatching(/^client too slow, resume from event \d+/) as string,
    });
    expect(await stream.next()).toBeNull();
    // What did arrive came in order with nothing skipped; the rest was not buffered without bound.
    expect(seqs.length).toBeGreaterThan(0);
    expect(seqs.length).toBeLessThan(total);
    expect(seqs).toEqual(seqs.map((_, i) => since + 1 + i));
    // Reconnecting with the last id seen picks up right after it.
    const resumed = await admin.events({ lastEventId: String(seqs.at(-1)) });
    expect(Number((await resumed.next())?.id)).toBe((seqs.at(-1) ?? 0) + 1);
    resumed.close();
  });

  it('starts at the present without a cursor: nothing of the past is replayed, what happens next is sent', async () => {
    const admin = await signedIn(f.adminToken);
    await f.admin.call('MachineService', 'AnnotateMachine', { machine: 'e-two', set: { when: 'before' } });
    const before = await lastSeq();
    const stream = await admin.events();
    expect((await admin.rpc('MachineService', 'ListMachines')).status).toBe(200);
    await f.admin.call('MachineService', 'AnnotateMachine', { machine: 'e-two', set: { when: 'after' } });
    const first = data(await stream.next());
    expect(Number(first['seq'])).toBe(before + 1);
    stream.close();
  });

  it('needs a session', async () => {
    const anonymous = new ConsoleClient(f.coordinator.consoleUrl ?? '', f.caPem);
    clients.push(anonymous);
    const stream = await anonymous.events();
    expect(stream.response.status).toBe(401);
  });
  it('starts a browser resuming from a pruned event at the present, after a resync frame; ?since= one is OUT_OF_RANGE', async () => {
    const admin = await signedIn(f.adminToken);
    const old = await lastSeq();
    // Two events after `old`: keeping only the newest prunes the first of them, past `old`.
    for (const step of ['pruned', 'kept']) await f.admin.call('MachineService', 'AnnotateMachine', { machine: 'e-one', set: { step } });
    const retention = new EventRetention({
      store: f.coordinator.store,
      events: f.coordinator.events,
      clock: new ManualClock(),
      options: { days: 0, max: 1 },
      actDeadline: ActDeadline.create(),
      logger: createLogger('silent'),
    });
    expect(await retention.pruneNow()).toBeGreaterThan(0);
    const present = await lastSeq();
    expect(f.coordinator.events.prunedThrough()).toBeGreaterThan(old);

    const resumed = await admin.events({ lastEventId: String(old) });
    expect(resumed.response.status).toBe(200);
    const first = await resumed.next();
    expect(first?.event).toBe('resync');
    expect(data(first)['message']).toContain(`since_seq ${old}: the events through seq`);
    // From the present on: the next event is a new one, nothing of the log is replayed.
    await f.admin.call('MachineService', 'AnnotateMachine', { machine: 'e-one', set: { step: 'after' } });
    const next = data(await resumed.next());
    expect(Number(next['seq'])).toBeGreaterThan(present);
    expect(next).toMatchObject({ details: { set: 'step' } });
    resumed.close();

    // A cursor the caller chose is refused, as the gRPC call is.
    const chosen = await admin.events({ since: old });
    const refusal = await chosen.next();
    expect(refusal?.event).toBe('error');
    expect(data(refusal)).toMatchObject({ code: 'OUT_OF_RANGE', message: expect.stringContaining('were pruned') as string });
    chosen.close();
  });
});

describe('ending sessions', () => {
  it('ends the sessions of a revoked token at once: the next request is 401 and an open event stream is closed', async () => {
    const token = await tokenFor('alice');
    const c = await signedIn(token.secret);
    const other = await signedIn(token.secret); // a second browser with the same token
    const stream = await c.events({ since: await lastSeq() });
    expect(stream.response.status).toBe(200);
    expect((await c.rpc('MachineService', 'ListMachines')).status).toBe(200);

    await f.admin.call('TenancyService', 'RevokeToken', { id: token.id });

    const ended = await stream.until((frame) => frame.event === 'error');
    expect(ended?.event).toBe('error');
    expect(data(ended)['code']).toBe('UNAUTHENTICATED');
    expect(await stream.next()).toBeNull();
    expect(stream.ended).toBe(true);
    for (const session of [c, other]) {
      const after = await session.rpc('MachineService', 'ListMachines');
      expect(after.status).toBe(401);
      expect(after.body['code']).toBe('UNAUTHENTICATED');
      expect((await session.request('GET', '/api/session')).status).toBe(401);
    }
    // Signing in again with the revoked token is refused.
    expect((await c.signIn(token.secret)).status).toBe(401);
  });

  it("ends a deleted user's sessions", async () => {
    await f.user('dora', 'member');
    const c = await signedIn((await tokenFor('dora')).secret);
    const stream = await c.events({ since: await lastSeq() });
    await f.admin.call('TenancyService', 'DeleteUser', { name: 'dora' });
    const ended = await stream.until((frame) => frame.event === 'error');
    expect(data(ended)['code']).toBe('UNAUTHENTICATED');
    expect((await c.request('GET', '/api/session')).status).toBe(401);
  });

  it('closes the stream when its session signs out', async () => {
    const c = await signedIn((await tokenFor('bob')).secret);
    const stream = await c.events({ since: await lastSeq() });
    expect((await c.request('DELETE', '/api/session')).status).toBe(204);
    const ended = await stream.until((frame) => frame.event === 'error');
    expect(data(ended)).toEqual({ code: 'UNAUTHENTICATED', message: 'session ended: signed out' });
    expect(await stream.next()).toBeNull();
  });
});
