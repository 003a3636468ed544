// The lease a coordinator lives under. On etcd it is an etcd lease kept alive by the etcd3
// client: every key that says "this coordinator does it" (a duty's election key, a sequence's
// owner key, the registry entry) is put with it, so when the coordinator dies, or is paused or cut
// off past the TTL, etcd deletes them all at once and the others take over. On LMDB there is one
// coordinator: its lease is 'local' and never lost.
//
// When is the lease lost? etcd expires it TTL after the last keepalive the leader received. The
// etcd3 client only gives up after 2 x TTL without an answer, which is too late for fencing, so
// this module also keeps its own account: the lease is held until TTL after the moment the last
// answered keepalive was *sent* (never later than etcd's own deadline), and lost once that passes,
// or when etcd says the lease is gone. Lost is final: the coordinator stops acting on what it
// owned (OwnershipLostError) and must start again under a new lease.
import type { Etcd3, Lease } from 'etcd3';
import type { Logger } from '../logger.js';
import { ActDeadline } from './act-deadline.js';
import { OwnershipLostError } from './errors.js';

export interface CoordinatorLease {
  /** Stable id of this coordinator (ha/coordinator-id.ts). */
  readonly coordinatorId: string;
  /** The etcd lease id (decimal string); 'local' on LMDB. */
  readonly leaseId: string;
  readonly lost: boolean;
  /** Calls `listener` once, when the lease is lost (at once if it already is); the returned function unsubscribes. */
  onLost(listener: (why: string) => void): () => void;
  /** Revokes the lease (a clean shutdown hands everything it held over at once). */
  close(): Promise<void>;
  /** The lease's TTL in milliseconds (Infinity for the local lease). */
  readonly ttlMs: number;
  /** Whether the lease is certainly still alive in etcd now; marks it lost when its time has run out. */
  holds(): boolean;
  /** Throws OwnershipLostError naming `subject` unless holds(). */
  assertHeld(subject: string): void;
  /** The etcd3 Lease to put keys with; null on LMDB. */
  readonly etcdLease: Lease | null;
  /** Until when this coordinator may act, for other threads (act-deadline.ts): 0 once lost or closed. */
  readonly actDeadline: ActDeadline;
}

type LeaseLifecycle = { type: 'held' } | { type: 'lost'; why: string } | { type: 'closed' };

/** What both kinds share: the lost state, its listeners and the checks. */
abstract class LeaseBase implements CoordinatorLease {
  abstract readonly leaseId: string;
  abstract readonly ttlMs: number;
  abstract readonly etcdLease: Lease | null;
  protected lifecycle: LeaseLifecycle = { type: 'held' };
  private readonly listeners = new Set<(why: string) => void>();
  readonly actDeadline = ActDeadline.create();

  constructor(readonly coordinatorId: string) {}

  get lost(): boolean {
    return this.lifecycle.type !== 'held';
  }

  onLost(listener: (why: string) => void): () => void {
    if (this.lifecycle.type === 'lost') {
      listener(this.lifecycle.why);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  holds(): boolean {
    return this.lifecycle.type === 'held';
  }

  assertHeld(subject: string): void {
    if (this.holds()) return;
    const why = this.lifecycle.type === 'lost' ? this.lifecycle.why : 'the coordinator is shutting down';
    throw new OwnershipLostError(subject, `lease ${this.leaseId} of coordinator ${this.coordinatorId}: ${why}`);
  }

  abstract close(): Promise<void>;

  /** held -> lost, once; tells the listeners. */
  protected markLost(why: string): void {
    if (this.lifecycle.type !== 'held') return;
    this.actDeadline.set(0);
    this.lifecycle = { type: 'lost', why };
    for (const listener of [...this.listeners]) listener(why);
    this.listeners.clear();
  }
}

/** The lease of the one coordinator on LMDB: always held. */
export class LocalLease extends LeaseBase {
  readonly leaseId = 'local';
  readonly ttlMs = Number.POSITIVE_INFINITY;
  readonly etcdLease = null;

  close(): Promise<void> {
    this.lifecycle = { type: 'closed' };
    this.actDeadline.set(0);
    return Promise.resolve();
  }
}

export interface EtcdLeaseOptions {
  readonly client: Etcd3;
  readonly coordinatorId: string;
  /** Seconds; etcd's own minimum is about 2 (1.5 x its election timeout). Default 10. */
  readonly ttlSeconds?: number;
  readonly logger: Logger;
  /** Monotonic milliseconds (tests of the accounting); default performance.now. */
  readonly now?: () => number;
}

export const DEFAULT_LEASE_TTL_SECONDS = 10;

export class EtcdCoordinatorLease extends LeaseBase {
  readonly ttlMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  /** When the oldest keepalive not yet answered was sent (null: none outstanding). */
  private outstandingSince: number | null = null;
  /** etcd holds the lease until at least this moment (monotonic ms): TTL after the last answered keepalive was sent. */
  private heldUntil: number;
  private readonly watchdog: NodeJS.Timeout;

  private constructor(
    readonly etcdLease: Lease,
    readonly leaseId: string,
    coordinatorId: string,
    ttlMs: number,
    grantSentAt: number,
    logger: Logger,
    now: () => number,
  ) {
    super(coordinatorId);
    this.ttlMs = ttlMs;
    this.logger = logger;
    this.now = now;
    this.heldUntil = grantSentAt + ttlMs;
    this.publishDeadline();
    etcdLease.on('keepaliveFired', () => {
      this.outstandingSince ??= this.now();
    });
    etcdLease.on('keepaliveSucceeded', () => {
      if (this.outstandingSince !== null) this.heldUntil = Math.max(this.heldUntil, this.outstandingSince + this.ttlMs);
      this.outstandingSince = null;
      if (this.lifecycle.type === 'held') this.publishDeadline();
    });
    etcdLease.on('lost', (error) => this.lose(`etcd: ${error.message}`));
    // Looks often enough that a lease past its time is noticed within a quarter of the TTL even
    // when nothing asks holds(); unref'd: it never holds the process up.
    this.watchdog = setInterval(() => this.holds(), Math.max(50, ttlMs / 4));
    this.watchdog.unref();
  }

  /** Grants a lease and starts keeping it alive. */
  static async grant(options: EtcdLeaseOptions): Promise<EtcdCoordinatorLease> {
    const ttlSeconds = options.ttlSeconds ?? DEFAULT_LEASE_TTL_SECONDS;
    const now = options.now ?? ((): number => performance.now());
    const logger = options.logger.child({ component: 'lease', coordinatorId: options.coordinatorId });
    const sentAt = now();
    const lease = options.client.lease(ttlSeconds);
    let id: string;
    try {
      id = await lease.grant();
    } catch (error) {
      lease.release();
      throw new OwnershipLostError('lease', `etcd did not grant a lease: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    logger.info({ leaseId: id, ttlSeconds }, 'lease granted');
    return new EtcdCoordinatorLease(lease, id, options.coordinatorId, ttlSeconds * 1000, sentAt, logger, now);
  }

  override holds(): boolean {
    if (this.lifecycle.type !== 'held') return false;
    const late = this.now() - this.heldUntil;
    if (late >= 0) {
      this.lose(`no keepalive answered for ${((this.ttlMs + late) / 1000).toFixed(1)} s, past the ${this.ttlMs / 1000} s TTL`);
      return false;
    }
    return true;
  }

  async close(): Promise<void> {
    if (this.lifecycle.type === 'closed') return;
    const wasHeld = this.lifecycle.type === 'held';
    this.lifecycle = { type: 'closed' };
    this.actDeadline.set(0);
    clearInterval(this.watchdog);
    if (!wasHeld) return;
    await this.etcdLease.revoke({ deadline: Date.now() + 2000 }).then(
      () => this.logger.info({ leaseId: this.leaseId }, 'lease revoked'),
      (error: unknown) => this.logger.warn({ err: error, leaseId: this.leaseId }, 'revoking the lease failed: it expires by itself'),
    );
  }

  /** heldUntil on the wall clock other threads read (act-deadline.ts). */
  private publishDeadline(): void {
    this.actDeadline.set(Date.now() + (this.heldUntil - this.now()));
  }

  private lose(why: string): void {
    if (this.lifecycle.type !== 'held') return;
    clearInterval(this.watchdog);
    this.logger.error({ leaseId: this.leaseId, why }, 'lease lost: this coordinator stops acting on what it owned');
    this.markLost(why);
    // If etcd still has it (we only lost count), give it up now: what it held is then free at once
    // rather than at its expiry, and never held by a coordinator that stopped acting on it.
    void this.etcdLease.revoke({ deadline: Date.now() + 2000 }).catch(() => undefined);
  }
}
