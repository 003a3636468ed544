// The bound on unauthenticated calls as a pure counter (api/unauthenticated-gate.ts); the
// interceptor that uses it is exercised over real gRPC in unauthenticated-cost.test.ts.
import { describe, expect, it } from 'vitest';
import { UnauthenticatedGate } from '../../coordinator/src/api/unauthenticated-gate.js';

describe('UnauthenticatedGate', () => {
  it('admits up to its limit, refuses past it, and admits again once a place is left', () => {
    const gate = new UnauthenticatedGate(3);
    expect([gate.tryEnter(), gate.tryEnter(), gate.tryEnter()]).toEqual([true, true, true]);
    expect(gate.tryEnter()).toBe(false);
    expect(gate.count).toBe(3);
    gate.leave();
    expect(gate.count).toBe(2);
    expect(gate.tryEnter()).toBe(true);
    expect(gate.tryEnter()).toBe(false);
  });

  it('refuses a limit that is not a positive integer, and a leave without an enter', () => {
    expect(() => new UnauthenticatedGate(0)).toThrow('the unauthenticated call limit must be a positive integer, not 0');
    expect(() => new UnauthenticatedGate(2.5)).toThrow(RangeError);
    expect(() => new UnauthenticatedGate(1).leave()).toThrow('UnauthenticatedGate.leave() without a matching tryEnter()');
  });
});
