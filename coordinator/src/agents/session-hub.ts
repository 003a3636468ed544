// Live agent sessions: one bidirectional stream per agent. The hub admits a session after its
// hello (the certificate's agent id must match, and the certificate must be the agent's current
// one or, for the renewal overlap, the one it replaced), gives it the next epoch, tracks heartbeats with
// one sweep (not a timer per agent: 10000 agents are 10000 timers otherwise), marks agents
// OFFLINE on a missed deadline or stream end, and delivers commands: a command for an agent that
// is not ONLINE waits for its session, up to the command's deadline, and is re-sent after a
// reconnect (same id: agents apply an id once). On a shared store a command for an agent whose
// session is not here is also published through the command relay (command-relay.ts), so the
// coordinator holding (or next opening) the agent's session delivers it; its answer resolves the
// command here, bounded by the same deadline.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type {
  AgentCommand__Output,
  AgentMessage__Output,
  AgentReport__Output,
  CommandResult__Output,
  CoordinatorMessage__Output,
} from '../../../proto/generated/index.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AgentRegistry, SessionOwner } from './agent-registry.js';
import type { CommandRelay } from './command-relay.js';
import { AgentCommandTimeoutError, AgentCommandWithdrawnError, SessionHubClosedError, SessionsRefusedError } from './errors.js';

/** The transport side of one session, as the gRPC handler provides it. */
export interface SessionStream {
  write(message: CoordinatorMessage__Output): void;
  /** Ends the stream from our side with a reason (e.g. missed heartbeats, superseded). */
  end(reason: string): void;
}

interface LiveSession {
  agentId: string;
  epoch: number;
  /** Serial of the certificate the session was opened with, or that a renewal carried it over to. */
  certSerial: string;
  /** Set when opened on the certificate a renewal replaced: the session ends when its overlap does. */
  admittedUntil: number | null;
  stream: SessionStream;
  lastSeen: number;
  lastHeartbeatAt: number | null;
  report: AgentReport__Output | null;
}

interface PendingCommand {
  agentId: string;
  command: AgentCommand__Output;
  what: string;
  deadlineMs: number;
  /** When the caller gives up (clock ms): what is left of it is what a peer delivering it waits. */
  deadlineAt: number;
  sentEpoch: number | null;
  /** 'any': published through the relay while the agent's session is elsewhere; 'here': only this hub's sessions. */
  via: CommandRoute;
  relayed: boolean;
  resolve: (r: CommandResult__Output) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Where a command may be delivered: through any coordinator, or only through this hub's own sessions. */
export type CommandRoute = 'any' | 'here';

export interface HubEvents {
  online: [agentId: string, epoch: number];
  offline: [agentId: string, epoch: number, why: string];
  report: [agentId: string, report: AgentReport__Output];
  result: [agentId: string, result: CommandResult__Output];
}

export interface HubOptions {
  heartbeatIntervalMs: number;
  /** OFFLINE after this long without any message (default 3 heartbeats). */
  heartbeatDeadlineMs: number;
}

export interface SessionHubDeps {
  readonly registry: AgentRegistry;
  readonly options: HubOptions;
  /** Every time the hub reads: sessions' last signs of life and the deadlines checked against them. */
  readonly clock: Clock;
  readonly log: Logger;
  /** The coordinator incarnation sessions opened here are recorded under. */
  readonly owner: SessionOwner;
  /** Carries commands to agents on other coordinators (a shared store); absent on LMDB. */
  readonly relay?: CommandRelay;
}

export class SessionHub extends EventEmitter<HubEvents> {
  private readonly live = new Map<string, LiveSession>();
  private readonly pending = new Map<string, PendingCommand>();
  /** The heartbeat sweep, from start() until close(). */
  private sweep: NodeJS.Timeout | null = null;
  /** Set once sessions may no longer open here (the coordinator's lease was lost): why. */
  private refusal: string | null = null;
  private readonly onRelayed = (agentId: string, result: CommandResult__Output): void => this.settle(agentId, result);

  constructor(private readonly deps: SessionHubDeps) {
    super();
    this.setMaxListeners(0);
  }

  /** Starts the heartbeat sweep: from now on, silent sessions and ended renewal overlaps are cut. */
  start(): void {
    if (this.sweep) return;
    const every = Math.max(50, Math.min(1000, Math.floor(this.deps.options.heartbeatDeadlineMs / 10)));
    this.sweep = setInterval(() => this.checkDeadlines(), every);
    this.sweep.unref();
    this.deps.relay?.on('result', this.onRelayed);
  }

  /**
   * Ends every session and refuses new ones from now on (the coordinator's lease is gone: other
   * coordinators mark its agents OFFLINE, and the agents reconnect to one of them).
   */
  refuseSessions(why: string): void {
    this.refusal = why;
    for (const s of [...this.live.values()]) this.disconnect(s.agentId, why);
  }

  close(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
    this.deps.relay?.off('result', this.onRelayed);
    for (const s of this.live.values()) s.stream.end('coordinator shutting down');
    this.live.clear();
    // Nobody is left to answer them: reject every waiting command now rather than leave its caller
    // hanging (its timer is cleared too, so nothing fires after close).
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      this.withdraw(p);
      p.reject(new SessionHubClosedError(p.agentId, p.command.id, p.what));
    }
  }

  /** Gives up a command (a peer's, answered through another coordinator or withdrawn by its caller). */
  abandon(commandId: string, why: string): void {
    const p = this.pending.get(commandId);
    if (!p) return;
    this.pending.delete(commandId);
    clearTimeout(p.timer);
    this.withdraw(p);
    p.reject(new AgentCommandWithdrawnError(p.agentId, commandId, p.what, why));
  }

  session(agentId: string): { epoch: number; lastHeartbeatAt: number | null; report: AgentReport__Output | null } | undefined {
    const s = this.live.get(agentId);
    return s ? { epoch: s.epoch, lastHeartbeatAt: s.lastHeartbeatAt, report: s.report } : undefined;
  }

  get onlineCount(): number {
    return this.live.size;
  }

  /**
   * A hello arrived on a stream whose client certificate (serial `certSerial`) the CA verified:
   * admit the certificate, start the session and answer with its epoch.
   */
  async open(
    agentId: string,
    certSerial: string,
    stream: SessionStream,
    hello: NonNullable<AgentMessage__Output['hello']>,
  ): Promise<number> {
    if (this.refusal !== null) throw new SessionsRefusedError(agentId, this.refusal);
    const { record, until } = await this.deps.registry.sessionStarted(
      agentId,
      certSerial,
      hello.version,
      hello.inventory ?? null,
      this.deps.owner,
    );
    const previous = this.live.get(agentId);
    if (previous) previous.stream.end(`superseded by session ${record.epoch}`);
    const now = this.deps.clock.now();
    this.live.set(agentId, {
      agentId,
      epoch: record.epoch,
      certSerial,
      admittedUntil: until,
      stream,
      lastSeen: now,
      lastHeartbeatAt: now,
      report: hello.report ?? null,
    });
    stream.write({ welcome: { agentId, epoch: record.epoch, heartbeatIntervalMs: this.deps.options.heartbeatIntervalMs } });
    this.deps.log.info({ agentId, epoch: record.epoch }, 'agent online');
    this.emit('online', agentId, record.epoch);
    if (hello.report) this.emit('report', agentId, hello.report);
    for (const p of this.pending.values()) if (p.agentId === agentId) this.deliver(p);
    return record.epoch;
  }

  /**
   * The holder of certificate `fromSerial` renewed it to `toSerial`: a session open on the old
   * certificate belongs to the same key holder, so it carries over to the new one (no reconnect,
   * no new epoch: the sequencer reads a new epoch as a smartNIC that restarted).
   */
  renewed(agentId: string, fromSerial: string, toSerial: string): void {
    const s = this.live.get(agentId);
    if (!s || s.certSerial !== fromSerial) return;
    s.certSerial = toSerial;
    s.admittedUntil = null;
  }

  /** Ends the agent's session unless it runs on certificate `serial` (the agent enrolled again). */
  disconnectUnlessOn(agentId: string, serial: string, why: string): void {
    const s = this.live.get(agentId);
    if (s && s.certSerial !== serial) this.disconnect(agentId, why);
  }

  /** Any message on the session counts as a sign of life. */
  onMessage(agentId: string, epoch: number, message: AgentMessage__Output): void {
    const s = this.live.get(agentId);
    if (!s || s.epoch !== epoch) return;
    s.lastSeen = this.deps.clock.now();
    if (message.heartbeat) {
      s.lastHeartbeatAt = s.lastSeen;
      s.stream.write({ heartbeatAck: { seq: message.heartbeat.seq } });
    }
    if (message.report) {
      s.report = message.report;
      this.emit('report', agentId, message.report);
    }
    if (message.result) this.onResult(agentId, message.result);
  }

  /** The stream ended (client gone, error, or our own end()). */
  closed(agentId: string, epoch: number, why: string): void {
    const s = this.live.get(agentId);
    if (!s || s.epoch !== epoch) return;
    this.live.delete(agentId);
    this.markOffline(agentId, epoch, why);
  }

  /** Drops an agent's session now (revocation). */
  disconnect(agentId: string, why: string): void {
    const s = this.live.get(agentId);
    if (!s) return;
    this.live.delete(agentId);
    s.stream.end(why);
    this.markOffline(agentId, s.epoch, why);
  }

  /**
   * Sends a command and resolves with the agent's result. Waits for the agent to be ONLINE, up to
   * deadlineMs in all; re-sends after a reconnect. While the agent has no session here, the
   * command is also published through the relay (route 'any'). Rejects with AgentCommandTimeoutError.
   */
  command(
    agentId: string,
    body: Omit<AgentCommand__Output, 'id'>,
    deadlineMs: number,
    what: string,
    id: string = randomUUID(),
    via: CommandRoute = 'any',
  ): Promise<CommandResult__Output> {
    const existing = this.pending.get(id);
    if (existing) return new Promise((resolve, reject) => this.chain(existing, resolve, reject));
    return new Promise<CommandResult__Output>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.withdraw(p);
        const state = this.live.has(agentId) ? 'ONLINE' : (this.deps.registry.get(agentId)?.state ?? 'unknown');
        reject(new AgentCommandTimeoutError(agentId, id, what, deadlineMs, state));
      }, deadlineMs);
      timer.unref();
      const p: PendingCommand = {
        agentId,
        command: { ...body, id },
        what,
        deadlineMs,
        deadlineAt: this.deps.clock.now() + deadlineMs,
        sentEpoch: null,
        via,
        relayed: false,
        resolve,
        reject,
        timer,
      };
      this.pending.set(id, p);
      this.deliver(p);
      this.relayIfAway(p);
    });
  }

  /** Publishes a command whose agent has no session here (once: whoever holds the session delivers it). */
  private relayIfAway(p: PendingCommand): void {
    const relay = this.deps.relay;
    if (!relay || p.via !== 'any' || p.relayed || this.live.has(p.agentId)) return;
    p.relayed = true;
    relay.publish({ agentId: p.agentId, command: p.command, what: p.what, deadlineAt: p.deadlineAt });
  }

  /** A settled command that was published: peers drop it. */
  private withdraw(p: PendingCommand): void {
    if (p.relayed) this.deps.relay?.withdraw(p.agentId, p.command.id);
  }

  private chain(p: PendingCommand, resolve: (r: CommandResult__Output) => void, reject: (e: Error) => void): void {
    const { resolve: r0, reject: j0 } = p;
    p.resolve = (r) => (r0(r), resolve(r));
    p.reject = (e) => (j0(e), reject(e));
  }

  private deliver(p: PendingCommand): void {
    const s = this.live.get(p.agentId);
    if (!s || p.sentEpoch === s.epoch) return;
    p.sentEpoch = s.epoch;
    s.stream.write({ command: p.command });
  }

  private onResult(agentId: string, result: CommandResult__Output): void {
    this.emit('result', agentId, result);
    this.settle(agentId, result);
  }

  /** An answer from the agent over a session here, or relayed from the coordinator that delivered it. */
  private settle(agentId: string, result: CommandResult__Output): void {
    const p = this.pending.get(result.commandId);
    if (!p || p.agentId !== agentId) return;
    this.pending.delete(result.commandId);
    clearTimeout(p.timer);
    this.withdraw(p);
    p.resolve(result);
  }

  private markOffline(agentId: string, epoch: number, why: string): void {
    this.deps.log.info({ agentId, epoch, why }, 'agent offline');
    for (const p of this.pending.values()) {
      if (p.agentId !== agentId) continue;
      p.sentEpoch = null;
      this.relayIfAway(p); // it may come back on another coordinator
    }
    this.emit('offline', agentId, epoch, why);
    this.deps.registry
      .sessionEnded(agentId, epoch, why)
      .catch((err: unknown) => this.deps.log.error({ err, agentId }, 'could not record agent OFFLINE'));
  }

  private checkDeadlines(): void {
    const now = this.deps.clock.now();
    for (const s of this.live.values()) {
      if (s.admittedUntil !== null && now >= s.admittedUntil) {
        this.disconnect(
          s.agentId,
          `the session's certificate (serial ${s.certSerial}) was replaced by a renewal and its overlap ended at ` +
            `${new Date(s.admittedUntil).toISOString()}`,
        );
        continue;
      }
      const silent = now - s.lastSeen;
      if (silent < this.deps.options.heartbeatDeadlineMs) continue;
      this.live.delete(s.agentId);
      const why = `no heartbeat for ${silent} ms (deadline ${this.deps.options.heartbeatDeadlineMs} ms)`;
      s.stream.end(why);
      this.markOffline(s.agentId, s.epoch, why);
    }
  }
}
