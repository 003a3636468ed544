// Live updates: one EventSource on /api/events for the whole page, fanned out to the pages that
// listen. The browser resumes a dropped stream itself with Last-Event-ID; the server drops a reader
// that falls behind (its bounded buffer), and the reconnect picks up from the last cursor seen.
// When that cursor was pruned meanwhile, the stream starts at the present with a "resync" frame,
// and every page reloads.
// Pages do not redraw per event: each reload is coalesced (one in flight, at most one queued), so a
// burst of events costs a page one or two reloads, not one per event.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MooringEvent } from './wire-types.js';

export type LiveState = { type: 'connecting' } | { type: 'open' } | { type: 'closed'; why: string };
type Listener = (event: MooringEvent) => void;

export class LiveEvents {
  private source: EventSource | undefined;
  private readonly listeners = new Set<Listener>();
  /** Told when the stream could not resume where it was (events pruned meanwhile): reload everything. */
  private readonly resyncListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  state: LiveState = { type: 'closed', why: 'not started' };

  constructor(private readonly onGone: () => void) {}

  start(): void {
    if (this.source) return;
    this.transition({ type: 'connecting' });
    const source = new EventSource('/api/events', { withCredentials: true });
    this.source = source;
    source.addEventListener('open', () => this.transition({ type: 'open' }));
    source.addEventListener('mooring', (message: MessageEvent<string>) => {
      let event: MooringEvent;
      try {
        event = JSON.parse(message.data) as MooringEvent;
      } catch {
        return; // Not an event: nothing to apply.
      }
      for (const listener of this.listeners) listener(event);
    });
    source.addEventListener('resync', () => {
      for (const listener of this.resyncListeners) listener();
    });
    source.addEventListener('error', () => {
      // CONNECTING: the browser retries by itself. CLOSED: the server refused the stream (the
      // session ended), so the shell checks the session.
      if (source.readyState === EventSource.CLOSED) {
        this.stop('the server closed the event stream');
        this.onGone();
      } else this.transition({ type: 'connecting' });
    });
  }

  stop(why: string): void {
    this.source?.close();
    this.source = undefined;
    this.transition({ type: 'closed', why });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `listener` runs when the page may have missed events and must reload what it shows. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private transition(to: LiveState): void {
    this.state = to;
    for (const listener of this.stateListeners) listener(to);
  }
}

/**
 * Loads with `load` now and again whenever an event `matters`, coalescing bursts. Returns the
 * latest value, the latest error (cleared by a good load) and a function to reload by hand.
 */
export function useLiveLoad<T>(
  live: LiveEvents,
  load: () => Promise<T>,
  matters: (event: MooringEvent) => boolean,
  deps: readonly unknown[],
): { value: T | undefined; error: unknown; reload: () => void } {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const loadRef = useRef(load);
  const mattersRef = useRef(matters);
  loadRef.current = load;
  mattersRef.current = matters;
  const gate = useRef<{ running: boolean; queued: boolean; generation: number }>({ running: false, queued: false, generation: 0 });

  const run = (): void => {
    const g = gate.current;
    if (g.running) {
      g.queued = true;
      return;
    }
    g.running = true;
    const generation = g.generation;
    loadRef
      .current()
      .then(
        (v) => {
          if (generation !== gate.current.generation) return;
          setValue(v);
          setError(undefined);
        },
        (e: unknown) => {
          if (generation === gate.current.generation) setError(e);
        },
      )
      .finally(() => {
        g.running = false;
        if (g.queued) {
          g.queued = false;
          run();
        }
      });
  };

  useEffect(() => {
    // New inputs (filters, page): forget answers to the old ones.
    gate.current = { running: false, queued: false, generation: gate.current.generation + 1 };
    setValue(undefined);
    run();
    const unsubscribe = live.subscribe((event) => {
      if (mattersRef.current(event)) run();
    });
    const unresync = live.onResync(run);
    return () => {
      unsubscribe();
      unresync();
    };
  }, deps);

  return { value, error, reload: run };
}

/** The stream's state, for the indicator in the header. */
export function useLiveState(live: LiveEvents): LiveState {
  const [state, setState] = useState<LiveState>(live.state);
  useEffect(() => live.onState(setState), [live]);
  return state;
}
