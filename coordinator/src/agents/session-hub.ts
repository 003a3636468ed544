// Live agent sessions: one bidirectional stream per agent. The hub admits a session after its
// hello (the certificate's agent id must match, and the certificate must be the agent's current
// one or, for the renewal overlap, the one it replaced), gives it the next epoch, tracks heartbeats with
// one sweep (not a timer per agent: 10000 agents are 10000 timers otherwise), marks agents
// OFFLINE on a missed deadline or stream end, and delivers commands: a command for an agent that
// is not ONLINE waits for its session, up to the command's deadline, and is re-sent after a
// reconnect (same id: agents apply an id once).
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
import type { AgentRegistry } from './agent-registry.js';
import { AgentCommandTimeoutError, SessionHubClosedError } from './errors.js';

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
  sentEpoch: number | null;
  resolve: (r: CommandResult__Output) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

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
}

export class SessionHub extends EventEmitter<HubEvents> {
  private readonly live = new Map<string, LiveSession>();
  private readonly pending = new Map<string, PendingCommand>();
  /** The heartbeat sweep, from start() until close(). */
  private sweep: NodeJS.Timeout | null = null;

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
  }

  close(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
    for (const s of this.live.values()) s.stream.end('coordinator shutting down');
    this.live.clear();
    // Nobody is left to answer them: reject every waiting command now rather than leave its caller
    // hanging (its timer is cleared too, so nothing fires after close).
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(new SessionHubClosedError(p.agentId, p.command.id, p.what));
    }
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
    const { record, until } = await this.deps.registry.sessionStarted(agentId, certSerial, hello.version, hello.inventory ?? null);
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
   * deadlineMs in all; re-sends after a reconnect. Rejects with AgentCommandTimeoutError.
   */
  command(
    agentId: string,
    body: Omit<AgentCommand__Output, 'id'>,
    deadlineMs: number,
    what: string,
    id: string = randomUUID(),
  ): Promise<CommandResult__Output> {
    const existing = this.pending.get(id);
    if (existing) return new Promise((resolve, reject) => this.chain(existing, resolve, reject));
    return new Promise<CommandResult__Output>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const state = this.live.has(agentId) ? 'ONLINE' : (this.deps.registry.get(agentId)?.state ?? 'unknown');
        reject(new AgentCommandTimeoutError(agentId, id, what, deadlineMs, state));
      }, deadlineMs);
      timer.unref();
      const p: PendingCommand = { agentId, command: { ...body, id }, what, deadlineMs, sentEpoch: null, resolve, reject, timer };
      this.pending.set(id, p);
      this.deliver(p);
    });
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
    const p = this.pending.get(result.commandId);
    if (!p || p.agentId !== agentId) return;
    this.pending.delete(result.commandId);
    clearTimeout(p.timer);
    p.resolve(result);
  }

  private markOffline(agentId: string, epoch: number, why: string): void {
    this.deps.log.info({ agentId, epoch, why }, 'agent offline');
    for (const p of this.pending.values()) if (p.agentId === agentId) p.sentEpoch = null;
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
