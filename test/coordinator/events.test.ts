// The event log's Watch stream over real gRPC: replay then follow without gaps or duplicates
// while changes keep coming, a per-machine filter, and members seeing only what they may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event__Output } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

describe('event watch', () => {
  let f: CoordinatorFixture;
  beforeAll(async () => {
    f = await startCoordinator();
  });
  afterAll(async () => f.close());

  async function collect(watch: { events: AsyncIterable<Event__Output>; cancel: () => void }, count: number): Promise<Event__Output[]> {
    const out: Event__Output[] = [];
    for await (const event of watch.events) {
      out.push(event);
      if (out.length === count) break;
    }
    watch.cancel();
    return out;
  }

  it('replays from a sequence number and then follows, in order, with no gaps or duplicates', async () => {
    for (let i = 0; i < 10; i++) await f.machine(`w-${i}`);
    const { lastSeq } = await f.admin.call('EventService', 'ListEvents', { limit: 1 });
    const since = lastSeq - 6; // part of what already happened
    const watching = collect(f.admin.watchEvents({ sinceSeq: since }), 6 + 30);
    // 10 allocations and 10 releases (two events each) race with the replay.
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const { machine } = await f.admin.call('MachineService', 'AllocateMachine', {});
        await f.admin.call('MachineService', 'ReleaseMachine', { machine: machine!.id });
      }),
    );
    const events = await watching;
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 36 }, (_, i) => since + 1 + i));
    expect(events.filter((e) => e.toStatus === 'ALLOCATED')).toHaveLength(10);
  });

  it('filters by machine, and shows members only machines they can see', async () => {
    const bea = await f.user('bea', 'member');
    await f.machine('w-hidden');
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'w-hidden', holder: { kind: 'user', user: 'admin' } });
    const { lastSeq } = await f.admin.call('EventService', 'ListEvents', { limit: 1 });
    const mine = collect(bea.watchEvents({ sinceSeq: lastSeq }), 2);
    const only = collect(f.admin.watchEvents({ sinceSeq: lastSeq, machine: 'w-0' }), 1);
    await f.admin.call('MachineService', 'MarkBroken', { machine: 'w-hidden', reason: 'hidden from bea' });
    await f.admin.call('MachineService', 'MarkBroken', { machine: 'w-0', reason: 'visible' });
    const { machine } = await bea.call('MachineService', 'AllocateMachine', {});
    const seenByBea = await mine;
    expect(seenByBea.map((e) => e.why)).toEqual(['visible', 'allocated']);
    expect(seenByBea[1]!.machineId).toBe(machine!.id);
    expect((await only).map((e) => e.why)).toEqual(['visible']);
    await expect(collect(bea.watchEvents({ machine: 'w-hidden' }), 1)).rejects.toMatchObject({ details: 'machine w-hidden not found' });
  });

  it('ends a replay-only watch after the last stored event', async () => {
    const { lastSeq } = await f.admin.call('EventService', 'ListEvents', { limit: 1 });
    const events: Event__Output[] = [];
    for await (const event of f.admin.watchEvents({ sinceSeq: lastSeq - 3, noFollow: true }).events) events.push(event);
    expect(events.map((e) => e.seq)).toEqual([lastSeq - 2, lastSeq - 1, lastSeq]);
  });
});
