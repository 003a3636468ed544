// Whether an agent can be reached now, whichever coordinator holds its session: the session hub
// knows only the sessions open here, but on a shared store (etcd) the agent's stored record says
// which coordinator incarnation opened its current session, and the coordinator registry says
// whether that incarnation is alive. Commands for such an agent go through the command relay
// (the hub publishes them); waits for a session (sequencer/agent-waits.ts) are told of every
// change that may open one: a session here, an agent record put by any coordinator (the store's
// change feed), a coordinator joining (the record may arrive before the registry knows its owner).
import type { AgentRecord, AgentRegistry } from '../agents/agent-registry.js';
import type { SessionHub } from '../agents/session-hub.js';
import type { StoreChangeFeed } from '../store/store-backend.js';
import type { CoordinatorRegistry } from './coordinator-registry.js';

export interface AgentReachDeps {
  readonly agents: AgentRegistry;
  readonly hub: SessionHub;
  readonly coordinators: CoordinatorRegistry;
  /** The store's feed of records put by any coordinator; absent on LMDB (the hub sees every session). */
  readonly changes?: StoreChangeFeed;
}

/** Where an agent's live session is. */
export type AgentSession = { readonly where: 'here' | 'peer'; readonly epoch: number };

export class AgentReach {
  private closedFlag = false;
  private readonly closeListeners = new Set<() => void>();

  constructor(private readonly deps: AgentReachDeps) {}

  /** True once the coordinator closed it: no wait starts or goes on. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Ends every wait, its timer with it, without settling it: a closing coordinator leaves each
   * sequence at its stored step, for the next start (or another coordinator) to resume. A timer
   * left armed would fire after the store closed.
   */
  close(): void {
    this.closedFlag = true;
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    for (const listener of listeners) listener();
  }

  /** Calls `listener` once when the reach closes; the returned function stops it. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** The agent's stored record (for its state in errors). */
  record(agentId: string): AgentRecord | undefined {
    return this.deps.agents.get(agentId);
  }

  /**
   * The agent's live session: open here, or recorded ONLINE under another coordinator incarnation
   * that is alive. Undefined when it has none (or its holder is gone and it is not yet marked OFFLINE).
   */
  session(agentId: string): AgentSession | undefined {
    const a = this.deps.agents.get(agentId);
    if (!a || a.state !== 'ONLINE') return undefined;
    const here = this.deps.hub.session(agentId);
    if (here) return { where: 'here', epoch: here.epoch };
    const owner = a.owner ?? null;
    // A record naming this very incarnation without a session here is one the hub is ending.
    const self = this.deps.coordinators.self;
    if (!owner || (owner.coordinator === self.id && owner.lease === self.leaseId)) return undefined;
    return this.deps.coordinators.isLive(owner) ? { where: 'peer', epoch: a.epoch } : undefined;
  }

  /**
   * Calls `listener` whenever an agent's session may have opened (with its id, or null when any
   * may have: a coordinator joined); the returned function stops.
   */
  onChange(listener: (agentId: string | null) => void): () => void {
    const { hub, changes, coordinators } = this.deps;
    const onOnline = (agentId: string): void => listener(agentId);
    hub.on('online', onOnline);
    const stopFeed = changes?.onPut('agents', (value) => listener((value as AgentRecord).id)) ?? ((): void => undefined);
    const stopJoined = coordinators.onJoined(() => listener(null));
    return () => {
      hub.off('online', onOnline);
      stopFeed();
      stopJoined();
    };
  }
}
