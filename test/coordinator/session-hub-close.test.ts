// Closing the session hub (coordinator shutdown) rejects every command still waiting for its agent
// at once, with a typed UNAVAILABLE error, instead of leaving its caller hanging until the deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionHubClosedError } from '../../coordinator/src/agents/errors.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

describe('session hub close', () => {
  let f: CoordinatorFixture;
  beforeAll(async () => {
    f = await startCoordinator();
  });
  afterAll(async () => f.close());

  it('rejects waiting commands with SessionHubClosedError and fires no timer afterwards', async () => {
    const hub = f.coordinator.sessions;
    const waiting = [
      hub.command('dpu-away', { sriovRefresh: {} }, 600_000, 'refresh SR-IOV', 'cmd-1'),
      hub.command('dpu-gone', { sriovRefresh: {} }, 600_000, 'refresh SR-IOV', 'cmd-2'),
    ];
    const settled = Promise.allSettled(waiting);
    hub.close();
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const reasons = results.map((r) => (r as PromiseRejectedResult).reason as SessionHubClosedError);
    expect(reasons.every((e) => e instanceof SessionHubClosedError && e.kind === 'unavailable')).toBe(true);
    expect(reasons[0]!.message).toBe('the coordinator is shutting down: refresh SR-IOV (command cmd-1) for agent dpu-away was given up');
  });
});
