// Bounded, event-driven waits for the OVSDB client tests: nothing here sleeps or polls.
import type { EventEmitter } from 'node:events';
import type { Monitor } from '../../../proto/ovsdb/monitor.js';
import type { Lifecycle, OvsdbClient } from '../../../proto/ovsdb/client.js';

/** Resolves when `check()` holds: checked now and after every update or rebuild of the monitor. */
export function untilReplica(monitor: Monitor, check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const evaluate = (): void => {
      let ok = false;
      try {
        ok = check();
      } catch (err) {
        done(() => reject(err instanceof Error ? err : new Error(String(err))));
        return;
      }
      if (ok) done(resolve);
    };
    const done = (fn: () => void): void => {
      clearTimeout(timer);
      monitor.off('update', evaluate);
      monitor.off('rebuilt', evaluate);
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    monitor.on('update', evaluate);
    monitor.on('rebuilt', evaluate);
    evaluate();
  });
}

/** Resolves with the first event `name` whose arguments pass `match`; rejects after timeoutMs. */
export function nextEvent<T extends unknown[]>(
  emitter: EventEmitter,
  name: string,
  match: (...args: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      if (!match(...(args as T))) return;
      clearTimeout(timer);
      emitter.off(name, listener);
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      emitter.off(name, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${name}"`));
    }, timeoutMs);
    emitter.on(name, listener);
  });
}

/** Records every lifecycle event of a client, and resolves when one of a given type arrives. */
export class LifecycleLog {
  readonly events: Lifecycle[] = [];

  constructor(private readonly client: OvsdbClient) {
    client.on('lifecycle', (e) => this.events.push(e));
  }

  get types(): string[] {
    return this.events.map((e) => e.type);
  }

  /** Waits for the next event of this type (one already logged after `from` counts too). */
  async next<K extends Lifecycle['type']>(type: K, from = 0, timeoutMs = 10_000): Promise<Extract<Lifecycle, { type: K }>> {
    const seen = this.events.slice(from).find((e) => e.type === type);
    if (seen) return seen as Extract<Lifecycle, { type: K }>;
    const [e] = await nextEvent<[Lifecycle]>(this.client, 'lifecycle', (ev) => ev.type === type, timeoutMs);
    return e as Extract<Lifecycle, { type: K }>;
  }
}
