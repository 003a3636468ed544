// One monitor session on one database: a replica plus its change stream. The client re-issues it
// after every reconnect and the replica is rebuilt from the new initial contents.

import { EventEmitter } from 'node:events';
import type { Replica, RowChange } from './replica.js';

export interface MonitorTableRequest {
  /** Columns to monitor; all when omitted. */
  columns?: string[];
  /** monitor_cond conditions, OR-ed ([column, function, value] or a boolean); all rows when omitted. */
  where?: unknown[];
}

export type MonitorSpec = Record<string, MonitorTableRequest>;

export type MonitorMethod = 'monitor_cond' | 'monitor';

export interface MonitorEvents {
  /** The changes of one update notification (or of our own transaction), applied in order. */
  update: [changes: RowChange[]];
  /** The replica was emptied and refilled from a new initial snapshot (after a reconnect). */
  rebuilt: [];
  /** The monitor ended: cancelled by us, or the client closed. */
  ended: [];
}

export class Monitor extends EventEmitter<MonitorEvents> {
  /** Updates that arrived before the initial contents were applied. */
  private queued: { format: MonitorMethod; updates: unknown }[] | undefined = [];
  private active = true;

  constructor(
    readonly id: string,
    readonly db: string,
    readonly spec: MonitorSpec,
    readonly replica: Replica,
    private readonly cancelFn: (m: Monitor) => Promise<void>,
    public method: MonitorMethod,
    private readonly onListenerError: (err: unknown) => void = () => undefined,
  ) {
    super();
  }

  get isActive(): boolean {
    return this.active;
  }

  /** monitor_cancel (RFC 7047 §4.1.7) and stop listening. */
  async cancel(): Promise<void> {
    if (!this.active) return;
    await this.cancelFn(this);
  }

  /** @internal Marks the start of a (re)subscription: updates are held until the snapshot is in. */
  beginSnapshot(): void {
    this.queued = [];
  }

  /**
   * @internal Applies the initial snapshot, then whatever was held. After a reconnect the replica
   * is reconciled with the new snapshot (Replica.resync): the changes report what differs.
   */
  applySnapshot(updates: unknown, rebuilt: boolean): void {
    let changes: RowChange[];
    if (rebuilt) {
      changes = this.replica.resync(this.method, updates);
    } else {
      this.replica.clear();
      changes = this.decode(this.method, updates);
    }
    const held = this.queued ?? [];
    this.queued = undefined;
    if (rebuilt) this.notify('rebuilt');
    if (changes.length > 0) this.notify('update', changes);
    for (const h of held) this.onUpdate(h.format, h.updates);
  }

  /** @internal */
  onUpdate(format: MonitorMethod, updates: unknown): void {
    if (!this.active) return;
    if (this.queued) {
      this.queued.push({ format, updates });
      return;
    }
    const changes = this.decode(format, updates);
    if (changes.length > 0) this.notify('update', changes);
  }

  /**
   * Emits to listeners. A listener's exception is the listener's bug, not the peer's: it is
   * reported and the session goes on (decode errors, thrown above, still drop the connection).
   */
  private notify(...args: ['rebuilt'] | ['update', RowChange[]]): void {
    for (const listener of this.listeners(args[0])) {
      try {
        (listener as (...a: unknown[]) => void)(...args.slice(1));
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  /** @internal */
  end(): void {
    if (!this.active) return;
    this.active = false;
    this.emit('ended');
  }

  private decode(format: MonitorMethod, updates: unknown): RowChange[] {
    return format === 'monitor_cond' ? this.replica.applyUpdate2(updates) : this.replica.applyUpdate(updates);
  }
}
