// Follows the coordinator's event log over one WatchEvents stream and keeps every event, so the
// bench waits on events (a machine READY, every deploy ended) instead of polling, and computes its
// figures afterwards from the coordinator's own stamps.
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { BenchEvent } from './timeline.js';

type Waiter = () => void;

export class EventFollower {
  readonly events: BenchEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly statuses = new Map<string, string>();
  private failure: Error | undefined;
  private readonly cancel: () => void;
  private readonly ended: Promise<void>;

  constructor(client: CoordinatorClient) {
    const { events, cancel } = client.watchEvents({ sinceSeq: 0, machine: '', noFollow: false });
    this.cancel = cancel;
    this.ended = (async () => {
      try {
        for await (const e of events) {
          this.events.push({
            seq: e.seq,
            timeMs: Date.parse(e.time),
            kind: e.kind,
            machineId: e.machineId,
            toStatus: e.toStatus,
            details: e.details,
            why: e.why,
          });
          if (e.kind === 'machine.transition') this.statuses.set(e.machineId, e.toStatus);
          this.notify();
        }
      } catch (err) {
        // CANCELLED after close() is the normal end.
        if ((err as { code?: number }).code !== 1) this.failure = err instanceof Error ? err : new Error(String(err));
      }
      this.failure ??= new Error('the event stream ended');
      this.notify();
    })();
  }

  /** Resolves once `done()` holds over the events seen; rejects after timeoutMs or if the stream ends. */
  async until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (done()) return;
      if (this.failure) throw new Error(`waiting for ${what}: ${this.failure.message}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      let timer: NodeJS.Timeout | undefined;
      let waiter: Waiter | undefined;
      await new Promise<void>((resolve) => {
        waiter = resolve;
        this.waiters.add(waiter);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      this.waiters.delete(waiter!);
    }
  }

  /** The status a machine was last moved to (from machine.transition events). */
  statusOf(machineId: string): string | undefined {
    return this.statuses.get(machineId);
  }

  lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  async close(): Promise<void> {
    this.cancel();
    await this.ended;
  }

  private notify(): void {
    for (const wake of [...this.waiters]) {
      this.waiters.delete(wake);
      wake();
    }
  }
}
