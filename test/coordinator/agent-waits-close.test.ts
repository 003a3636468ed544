// A sequence waiting for an agent's session when its coordinator closes: the wait ends with the
// coordinator, timer and listeners included, and never reads the (closed) store afterwards; the
// sequence stays at its stored step for the next start.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AgentRegistry } from '../../coordinator/src/agents/agent-registry.js';
import type { SessionHub } from '../../coordinator/src/agents/session-hub.js';
import { AgentReach } from '../../coordinator/src/ha/agent-reach.js';
import type { CoordinatorRegistry } from '../../coordinator/src/ha/coordinator-registry.js';
import { SequenceTimeoutError } from '../../coordinator/src/sequencer/errors.js';
import { waitForSession } from '../../coordinator/src/sequencer/agent-waits.js';

function world(): { reach: AgentReach; hub: EventEmitter; reads: () => number; closeStore: () => void } {
  let reads = 0;
  let storeClosed = false;
  const agents = {
    get: () => {
      if (storeClosed) throw new Error('read after the store closed');
      reads++;
      return undefined;
    },
  } as unknown as AgentRegistry;
  const hub = Object.assign(new EventEmitter(), { session: () => undefined });
  const coordinators = { onJoined: () => () => undefined } as unknown as CoordinatorRegistry;
  const reach = new AgentReach({ agents, hub: hub as unknown as SessionHub, coordinators });
  return { reach, hub, reads: () => reads, closeStore: () => (storeClosed = true) };
}

const settledWithin = (p: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ]);

describe('waitForSession and a closing coordinator', () => {
  it('still times out with the reason while the coordinator runs', async () => {
    const { reach } = world();
    await expect(waitForSession(reach, 'snic-1', -1, 30)).rejects.toThrow(SequenceTimeoutError);
  });

  it('ends the wait on close: no timeout fires, no listener stays, nothing is read after', async () => {
    const { reach, hub, reads, closeStore } = world();
    const wait = waitForSession(reach, 'snic-1', -1, 50);
    expect(hub.listenerCount('online')).toBe(1);
    const before = reads();
    reach.close();
    closeStore();
    expect(hub.listenerCount('online')).toBe(0);
    expect(await settledWithin(wait, 200)).toBe(false);
    expect(reads()).toBe(before);
  });

  it('starts no wait once closed', async () => {
    const { reach, hub, closeStore } = world();
    reach.close();
    closeStore();
    const wait = waitForSession(reach, 'snic-1', -1, 20);
    expect(hub.listenerCount('online')).toBe(0);
    expect(await settledWithin(wait, 100)).toBe(false);
  });
});
