// TokenWatchers with a manual clock: which events end which watches, and expiry by the clock.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../coordinator/src/clock.js';
import type { CoordinatorEvent } from '../../coordinator/src/events/event-log.js';
import { UnauthenticatedError } from '../../coordinator/src/tenancy/errors.js';
import { TokenWatchers } from '../../coordinator/src/tenancy/token-watchers.js';

function event(kind: string, details: Record<string, string>): CoordinatorEvent {
  return { seq: 1, time: 0, actor: 'admin', kind, machineId: null, fromStatus: null, toStatus: null, why: '', details };
}

describe('TokenWatchers', () => {
  it('ends the watches of a revoked token, once, and no others', () => {
    const revoked = new Set<string>();
    const watchers = new TokenWatchers(new ManualClock(), (id) => (revoked.has(id) ? new UnauthenticatedError('token revoked') : null));
    const ended: string[] = [];
    watchers.add({ id: 't1', user: 'bob', expiresAt: null }, (e) => ended.push(`t1 ${e.message}`));
    watchers.add({ id: 't2', user: 'bob', expiresAt: null }, (e) => ended.push(`t2 ${e.message}`));
    watchers.onEvent(event('token.revoked', { user: 'bob', token: 't1' })); // not yet revoked in the store
    expect(ended).toEqual([]);
    revoked.add('t1');
    watchers.onEvent(event('token.created', { user: 'bob', token: 't3' }));
    expect(ended).toEqual([]);
    watchers.onEvent(event('token.revoked', { user: 'bob', token: 't1' }));
    watchers.onEvent(event('token.revoked', { user: 'bob', token: 't1' }));
    expect(ended).toEqual(['t1 token revoked']);
    expect(watchers.size()).toBe(1);
  });

  it('ends a watch when its token expires by the clock, noticed at the next event', () => {
    const clock = new ManualClock();
    const watchers = new TokenWatchers(clock, () => null);
    const ended: string[] = [];
    const stop = watchers.add({ id: 't1', user: 'bob', expiresAt: clock.now() + 60_000 }, (e) => ended.push(e.message));
    watchers.add({ id: 't2', user: 'bob', expiresAt: clock.now() + 120_000 }, (e) => ended.push(`t2 ${e.message}`));
    clock.advance(59_999);
    watchers.onEvent(event('machine.transition', {}));
    expect(ended).toEqual([]);
    clock.advance(1);
    watchers.onEvent(event('machine.transition', {}));
    expect(ended).toEqual(['token expired']);
    stop(); // already ended: stopping is harmless
    clock.advance(60_000);
    watchers.onEvent(event('machine.transition', {}));
    expect(ended).toEqual(['token expired', 't2 token expired']);
    expect(watchers.size()).toBe(0);
  });
});
