// Agents across coordinators: which coordinator holds each agent's session, and what happens to
// those sessions when coordinators come and go.
// - start(): registers this coordinator (coordinator-registry.ts), follows the relayed commands,
//   then marks OFFLINE the agents whose recorded session owner is gone: this coordinator's own
//   earlier run, a coordinator whose lease ended, or no owner (records from before owners were
//   kept). Agents live on another coordinator stay ONLINE.
// - While running: when a coordinator's lease ends, its agents go OFFLINE (every coordinator
//   notices and tries; the write re-checks each agent, so it happens once); this coordinator's
//   session count is published in its entry; if its own lease is lost, its sessions end and no
//   new ones are taken, so its agents reconnect to a coordinator that can hold them.
import { Backoff } from '../../../proto/shared/backoff.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { CommandRelay, LiveSessionView } from '../agents/command-relay.js';
import { PeerCommands } from '../agents/peer-commands.js';
import type { SessionHub } from '../agents/session-hub.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CoordinatorLease } from './coordinator-lease.js';
import type { CoordinatorEntry, CoordinatorRegistry } from './coordinator-registry.js';

/** How long `agent show` waits for the coordinator holding a session to say what it knows of it. */
const SESSION_ASK_TIMEOUT_MS = 2000;

/** Closable carrier of relayed commands (etcd-command-relay.ts). */
export interface RunningRelay extends CommandRelay {
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface AgentPresenceDeps {
  readonly registry: CoordinatorRegistry;
  /** Absent on LMDB: one coordinator holds every session. */
  readonly relay: RunningRelay | null;
  readonly hub: SessionHub;
  readonly agents: AgentRegistry;
  readonly lease: CoordinatorLease;
  /** The duties this coordinator holds now (read each time its entry is published). */
  readonly duties: () => string[];
  readonly clock: Clock;
  readonly logger: Logger;
}

export class AgentPresence {
  private readonly peers: PeerCommands | null;
  private readonly logger: Logger;
  private readonly stops: (() => void)[] = [];
  /** Sweeps for gone coordinators, one after another (each is a guarded write). */
  private sweeps: Promise<unknown> = Promise.resolve();
  /** Gone coordinator incarnations whose agents are still to be swept, by `id lease`. */
  private readonly unswept = new Map<string, CoordinatorEntry>();
  /** A sweep that failed (etcd unavailable) is tried again with backoff. */
  private readonly retry = new Backoff({ initialMs: 500, maxMs: 30_000 });
  private closed = false;

  constructor(private readonly deps: AgentPresenceDeps) {
    this.logger = deps.logger.child({ component: 'agent-presence' });
    this.peers = deps.relay ? new PeerCommands({ hub: deps.hub, relay: deps.relay, clock: deps.clock, log: this.logger }) : null;
  }

  /** The live coordinators (this one included). */
  get registry(): CoordinatorRegistry {
    return this.deps.registry;
  }

  /** Registers, follows relayed commands, and marks OFFLINE the agents no live coordinator holds. Resolves with how many. */
  async start(): Promise<number> {
    const { registry, hub, lease } = this.deps;
    registry.update({ duties: this.deps.duties() });
    await registry.start();
    this.stops.push(registry.onGone((entry) => this.sweepGone(entry)));
    this.peers?.start();
    await this.deps.relay?.start();
    const publishSessions = (): void => registry.update({ agentSessions: hub.onlineCount, duties: this.deps.duties() });
    hub.on('online', publishSessions);
    hub.on('offline', publishSessions);
    this.stops.push(() => {
      hub.off('online', publishSessions);
      hub.off('offline', publishSessions);
    });
    this.stops.push(lease.onLost((why) => hub.refuseSessions(`its lease was lost: ${why}`)));
    const self = lease.coordinatorId;
    const marked = await this.deps.agents.markOrphansOffline((owner) => {
      if (owner === null || owner.coordinator === self) return true; // no session survives a restart
      return !registry.isLive(owner);
    }, 'the coordinator holding its session restarted or is gone');
    if (marked.length > 0) this.logger.info({ agents: marked.length }, 'agents of gone coordinators marked OFFLINE until they reconnect');
    return marked.length;
  }

  /** Once the API listens: where agents and moorctl reach this coordinator. */
  listening(address: string): void {
    this.deps.registry.update({ address });
  }

  /** Publishes this coordinator's duties again (after an election changed them). */
  dutiesChanged(): void {
    this.deps.registry.update({ duties: this.deps.duties() });
  }

  /**
   * The live view (last report and heartbeat) of an agent's session held by another coordinator,
   * asked of it through the relay; null on LMDB, or when no coordinator answers within timeoutMs.
   */
  async sessionView(agentId: string, timeoutMs = SESSION_ASK_TIMEOUT_MS): Promise<LiveSessionView | null> {
    return this.deps.relay ? this.deps.relay.ask(agentId, timeoutMs) : null;
  }

  /** Commands of other coordinators waiting here for their agents. */
  get peerCommandsWaiting(): number {
    return this.peers?.waiting ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.retry.cancel();
    for (const stop of this.stops.splice(0)) stop();
    this.peers?.stop();
    await this.deps.relay?.close();
    await this.deps.registry.close();
    await this.sweeps.catch(() => undefined);
  }

  private sweepGone(entry: CoordinatorEntry): void {
    this.unswept.set(`${entry.id} ${entry.leaseId}`, entry);
    this.sweepUnswept();
  }

  private sweepUnswept(): void {
    this.sweeps = this.sweeps
      .then(async () => {
        for (const [key, entry] of this.unswept) {
          if (this.closed) return;
          const why = `coordinator ${entry.id} is gone (its lease ${entry.leaseId} ended)`;
          const marked = await this.deps.agents.markOrphansOffline(
            (owner) => owner !== null && owner.coordinator === entry.id && owner.lease === entry.leaseId,
            why,
          );
          this.unswept.delete(key);
          if (marked.length > 0) this.logger.info({ gone: entry.id, agents: marked }, 'agents of a gone coordinator marked OFFLINE');
        }
        this.retry.reset();
      })
      .catch((error: unknown) => {
        if (this.closed) return;
        const retryInMs = this.retry.schedule(() => this.sweepUnswept());
        this.logger.error({ err: error, gone: [...this.unswept.keys()], retryInMs }, 'marking gone coordinators’ agents OFFLINE failed');
      });
  }
}
