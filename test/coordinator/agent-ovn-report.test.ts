// What smartNIC agents report of ovn-controller is stored in their records (agent-ovn.ts), on a real
// LMDB store: a change is one durable write with its event; the same report again (every hello and
// status change repeats it) is told apart by a read and costs no write transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentRegistry } from '../../coordinator/src/agents/agent-registry.js';
import { ManualClock } from '../../coordinator/src/clock.js';
import { EventLog } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { LmdbStore } from '../../coordinator/src/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'mooring-agent-ovn-'));
const clock = new ManualClock();
let store: LmdbStore;
let events: EventLog;
let registry: AgentRegistry;

beforeAll(async () => {
  store = LmdbStore.open(dir, createLogger('silent'));
  events = new EventLog(store.tables, clock);
  registry = new AgentRegistry({ store, events, clock });
  await store.write((scope) => registry.enrolled(scope, 'dpu-1', 'smartnic', 'serial-1', clock.now() + 86_400_000, 'admin'));
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ovnEvents = (): number => [...events.since(0)].filter((e) => e.kind === 'agent.ovn-changed').length;

describe("an agent's ovn-controller report", () => {
  it('is stored once with an event when it changes, and costs no write when repeated', async () => {
    const first = { remote: 'tcp:192.0.2.10:6642', chassis: 'chassis-1' };
    const before = store.groupsCommitted;
    expect(await registry.ovnReported('dpu-1', first)).toBe(true);
    expect(store.groupsCommitted).toBe(before + 1);
    expect(registry.get('dpu-1')?.ovn).toEqual(first);
    expect(ovnEvents()).toBe(1);

    // The same report, as every hello and status report repeats it: no transaction at all.
    for (let i = 0; i < 5; i++) expect(await registry.ovnReported('dpu-1', { ...first })).toBe(false);
    expect(store.groupsCommitted).toBe(before + 1);
    expect(ovnEvents()).toBe(1);

    // A changed chassis, then no remote at all: each stored, with its event.
    expect(await registry.ovnReported('dpu-1', { ...first, chassis: 'chassis-2' })).toBe(true);
    expect(await registry.ovnReported('dpu-1', { remote: '', chassis: '' })).toBe(true);
    expect(registry.get('dpu-1')?.ovn).toEqual({ remote: '', chassis: '' });
    expect(store.groupsCommitted).toBe(before + 3);
    expect(ovnEvents()).toBe(3);

    // An agent the coordinator does not know: nothing.
    expect(await registry.ovnReported('dpu-unknown', first)).toBe(false);
    expect(store.groupsCommitted).toBe(before + 3);
  });
});
