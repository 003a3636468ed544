// The guarded lifecycle helper: allowed transitions, entry actions before listeners, and an
// illegal transition refused with both states named and nothing changed.
import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, StateMachine, type Transition, type TransitionTable } from '../../../proto/shared/state-machine.js';

type Door = 'shut' | 'opening' | 'open' | 'gone';

const DOOR: TransitionTable<Door> = {
  shut: ['opening', 'gone'],
  opening: ['open', 'shut', 'gone'],
  open: ['shut', 'gone'],
  gone: [],
};

function door(onEnter: { [K in Door]?: (t: Transition<Door, string>) => void } = {}): StateMachine<Door> {
  return new StateMachine<Door>({ name: 'door', initial: 'shut', allowed: DOOR, onEnter });
}

describe('StateMachine', () => {
  it('starts in its initial state and moves along allowed transitions', () => {
    const m = door();
    expect(m.state).toBe('shut');
    expect(m.can('open')).toBe(false);
    expect(m.can('opening')).toBe(true);
    m.transition('opening', 'pushed');
    m.transition('open', 'swung');
    expect(m.state).toBe('open');
    expect(m.is('shut', 'open')).toBe(true);
    expect(m.is('gone')).toBe(false);
  });

  it('runs the entry action, then each listener in order, all seeing the new state and the reason', () => {
    const seen: string[] = [];
    const m = door({ opening: (t) => seen.push(`enter ${t.from}->${t.to} (${t.reason}) now ${m.state}`) });
    m.onTransition((t) => seen.push(`first ${t.from}->${t.to} (${t.reason}) now ${m.state}`));
    const off = m.onTransition((t) => seen.push(`second ${t.from}->${t.to}`));
    m.transition('opening', 'pushed');
    off();
    m.transition('shut', 'let go');
    expect(seen).toEqual([
      'enter shut->opening (pushed) now opening',
      'first shut->opening (pushed) now opening',
      'second shut->opening',
      'first opening->shut (let go) now shut',
    ]);
  });

  it('refuses an illegal transition, naming both states, and changes nothing', () => {
    let entered = 0;
    let heard = 0;
    const m = door({ open: () => entered++ });
    m.onTransition(() => heard++);
    expect(() => m.transition('open', 'kicked')).toThrow(IllegalTransitionError);
    expect(() => m.transition('open', 'kicked')).toThrow('door: no transition from shut to open');
    expect(m.state).toBe('shut');
    expect(entered).toBe(0);
    expect(heard).toBe(0);
  });

  it('refuses repeating a state its table does not list for itself, and leaving a final state', () => {
    const m = door();
    m.transition('gone', 'removed');
    let caught: unknown;
    try {
      m.transition('gone', 'again');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IllegalTransitionError);
    expect(caught).toMatchObject({ machine: 'door', from: 'gone', to: 'gone' });
    expect(() => m.transition('shut', 'back')).toThrow('door: no transition from gone to shut');
    expect(m.state).toBe('gone');
  });
});
