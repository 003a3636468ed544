// Which coordinators are alive, and what each says of itself. On etcd every coordinator keeps one
// entry under its lease (etcd-coordinator-registry.ts), so the set of live coordinators is the set
// of live leases: a coordinator that dies, or is cut off past its TTL, drops out when etcd expires
// its lease, and the others are told (onGone) so they can mark its agents OFFLINE. On LMDB there
// is one coordinator, itself (LocalCoordinatorRegistry).
import type { SessionOwner } from '../agents/agent-registry.js';

export interface CoordinatorEntry {
  /** Stable id (ha/coordinator-id.ts). */
  readonly id: string;
  /** The lease it registered under ('local' on LMDB): a restart is a new lease. */
  readonly leaseId: string;
  /** Where its gRPC API listens, host:port as agents and moorctl would dial it. */
  readonly address: string;
  /** ISO time it started. */
  readonly startedAt: string;
  readonly version: string;
  /** The singleton duties it holds now. */
  readonly duties: readonly string[];
  /** Agent sessions open on it now. */
  readonly agentSessions: number;
}

/** What a coordinator may change in its own entry while it runs. */
export type EntryChange = Partial<Pick<CoordinatorEntry, 'address' | 'duties' | 'agentSessions'>>;

export interface CoordinatorRegistry {
  /** This coordinator's entry as last published. */
  readonly self: CoordinatorEntry;
  /** Registers this coordinator and follows the others; resolves once the live set is known. */
  start(): Promise<void>;
  /** Every live coordinator (this one included), by id. */
  live(): CoordinatorEntry[];
  /** Whether the coordinator incarnation holding a session is alive: its id registered under that very lease. */
  isLive(owner: SessionOwner): boolean;
  /** Calls `listener` with the last entry of each coordinator incarnation that goes away; the returned function stops. */
  onGone(listener: (entry: CoordinatorEntry) => void): () => void;
  /**
   * Calls `listener` with each coordinator incarnation that becomes known as live (at start, or
   * registering later); the returned function stops. Agent sessions recorded under it count from then.
   */
  onJoined(listener: (entry: CoordinatorEntry) => void): () => void;
  /** Changes this coordinator's entry (published soon after; several changes in a row are published once). */
  update(change: EntryChange): void;
  close(): Promise<void>;
}

/** The only coordinator of an LMDB store. */
export class LocalCoordinatorRegistry implements CoordinatorRegistry {
  private entry: CoordinatorEntry;

  constructor(entry: CoordinatorEntry) {
    this.entry = entry;
  }

  get self(): CoordinatorEntry {
    return this.entry;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  live(): CoordinatorEntry[] {
    return [this.entry];
  }

  isLive(owner: SessionOwner): boolean {
    return owner.coordinator === this.entry.id && owner.lease === this.entry.leaseId;
  }

  onGone(): () => void {
    return () => undefined;
  }

  onJoined(): () => void {
    return () => undefined;
  }

  update(change: EntryChange): void {
    this.entry = { ...this.entry, ...change };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
