// The agent's side of the session: enroll once, then keep one bidirectional stream open to the
// coordinator over mTLS, reconnecting with capped, jittered backoff. Hello carries identity,
// inventory and the current report; heartbeats follow on a timer; reports go out when the status
// changes; commands are handed to the executor and answered when they are done. After every new
// session the desired state is reconciled. The agent keeps working locally while the link is down.

import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { AgentMessage, AgentReport__Output, CoordinatorMessage__Output, Inventory__Output } from '../../../proto/generated/index.js';
import { Backoff } from '../../../proto/shared/backoff.js';
import { StateMachine, type Transition, type TransitionTable } from '../../../proto/shared/state-machine.js';
import type { AgentStore } from '../state/agent-store.js';
import type { StatusBoard, LinkState } from '../status/status-board.js';
import type { CommandExecutor } from '../commands/command-executor.js';
import { type Credentials, CredentialFiles } from './credentials.js';
import { enroll, EnrollmentRefusedError, renew, renewAt } from './enrollment.js';
import { agentClient, isRefusal, type AgentServiceClient } from './grpc-channel.js';
import { CoordinatorRotation, systemResolver, type CoordinatorTarget, type HostResolver } from './coordinator-rotation.js';
import type { HostPort } from '../config/host-port.js';

export interface LinkOptions {
  /** The coordinators, tried in turn (see CoordinatorRotation). */
  coordinators: readonly HostPort[];
  caPem: string;
  /** Enrollment token; needed only until the agent has a certificate. */
  token: string | undefined;
  agentName: string;
  role: string;
  version: string;
  heartbeatMs: number;
  backoff: { initialMs: number; maxMs: number };
  rpcTimeoutMs: number;
}

export interface LinkDeps {
  files: CredentialFiles;
  store: AgentStore;
  executor: CommandExecutor;
  board: StatusBoard;
  inventory: () => Promise<Inventory__Output>;
  report: () => AgentReport__Output;
  onSession?: (epoch: number) => void;
  onReconnect?: () => void;
  /** Host name resolution for coordinator names (default: the system resolver). */
  resolve?: HostResolver;
}

const REPORT_DEBOUNCE_MS = 100;

/** The link's lifecycle: the states the status board shows, plus idle (not started) and closed. */
type LinkPhase = Exclude<LinkState, 'disabled'> | 'idle' | 'closed';

const LINK_TRANSITIONS: TransitionTable<LinkPhase> = {
  idle: ['enrolling', 'connecting', 'backoff', 'refused', 'closed'],
  enrolling: ['connecting', 'backoff', 'refused', 'closed'],
  connecting: ['online', 'backoff', 'refused', 'closed'],
  online: ['backoff', 'refused', 'closed'],
  // A retry that fails before it reaches the coordinator (credentials unreadable) backs off again.
  backoff: ['enrolling', 'connecting', 'backoff', 'refused', 'closed'],
  // A refused enrollment is never retried; a refused session is, slowly, so an admin can fix it.
  refused: ['connecting', 'closed'],
  closed: [],
};

export class CoordinatorLink {
  private creds: Credentials | undefined;
  private client: AgentServiceClient | undefined;
  private stream: grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage__Output> | undefined;
  private readonly backoff: Backoff;
  private readonly rotation: CoordinatorRotation;
  /** The coordinator last dialed (the one the session is on while online). */
  private target: CoordinatorTarget | undefined;
  private readonly machine: StateMachine<LinkPhase>;
  private heartbeat: NodeJS.Timeout | undefined;
  private renewal: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  /** Bounds the wait for a welcome on a new session (see connect()). */
  private welcomeTimer: NodeJS.Timeout | undefined;
  private seq = 0;
  /** When the coordinator last said anything on the current session. */
  private lastHeard = 0;
  private heartbeatMs = 0;
  private sessions = 0;
  /** The epoch of the session last welcomed, for the board (set before the move to online). */
  private epoch: number | undefined;
  private readonly onBoardChange = (): void => this.scheduleReport();

  constructor(
    private readonly opts: LinkOptions,
    private readonly deps: LinkDeps,
    private readonly log: Logger,
  ) {
    this.backoff = new Backoff(opts.backoff);
    const resumeAt = deps.store.lastCoordinator();
    this.rotation = new CoordinatorRotation(opts.coordinators, deps.resolve ?? systemResolver, log, resumeAt);
    this.machine = new StateMachine<LinkPhase>({
      name: 'coordinator link',
      initial: 'idle',
      allowed: LINK_TRANSITIONS,
      onEnter: { online: () => this.backoff.reset(), closed: () => this.release() },
      log,
    });
    this.machine.onTransition((t) => this.publishState(t));
    if (resumeAt) deps.board.update((s) => ({ ...s, coordinator: { ...s.coordinator, resumeAt } }));
  }

  start(): void {
    this.deps.board.on('change', this.onBoardChange);
    void this.connect();
  }

  close(): void {
    if (!this.machine.is('closed')) this.machine.transition('closed', 'closed by the agent');
  }

  /** Entry action of 'closed': no timer, retry or stream outlives the link. */
  private release(): void {
    this.deps.board.off('change', this.onBoardChange);
    this.backoff.cancel();
    for (const t of [this.heartbeat, this.renewal, this.reportTimer, this.welcomeTimer]) clearTimeout(t);
    this.stream?.cancel();
    this.client?.close();
  }

  /** The board shows every state but idle and closed; the reason only for backoff and refused. */
  private publishState({ to, reason }: Transition<LinkPhase, string>): void {
    if (to === 'idle' || to === 'closed') return;
    const shown = to === 'backoff' || to === 'refused' ? reason : null;
    this.deps.board.update((s) => ({
      ...s,
      agentId: this.creds?.agentId ?? s.agentId,
      coordinator: {
        ...s.coordinator,
        address: this.target?.label ?? s.coordinator.address,
        state: to,
        reason: shown,
        epoch: this.epoch ?? s.coordinator.epoch,
      },
    }));
  }

  private async credentials(): Promise<Credentials> {
    if (this.creds) return this.creds;
    if (this.deps.files.exists()) {
      this.creds = await this.deps.files.load();
      return this.creds;
    }
    if (!this.opts.token) throw new EnrollmentRefusedError('no certificate yet and no enrollment token configured');
    this.machine.transition('enrolling', 'enrolling with the token');
    this.creds = await enroll(
      await this.dialTarget(),
      this.opts.caPem,
      this.opts.token,
      this.opts.agentName,
      this.deps.files,
      this.opts.rpcTimeoutMs,
      this.log,
    );
    return this.creds;
  }

  /** The coordinator to dial now, remembered for the board, the logs and renewal. */
  private async dialTarget(): Promise<CoordinatorTarget> {
    this.target = await this.rotation.current();
    return this.target;
  }

  private async connect(): Promise<void> {
    if (this.machine.is('closed')) return;
    let creds: Credentials;
    try {
      creds = await this.credentials();
    } catch (err) {
      if (this.machine.is('closed')) return;
      const refused = err instanceof EnrollmentRefusedError;
      this.log.error(
        { err: (err as Error).message, coordinator: this.target?.label },
        refused ? 'enrollment refused' : 'enrollment failed',
      );
      // An enrollment that did not reach a coordinator may reach another; a refusal would not.
      if (!refused) this.rotation.advance();
      this.machine.transition(refused ? 'refused' : 'backoff', (err as Error).message);
      if (!refused) this.retry();
      return;
    }
    if (this.machine.is('closed')) return;
    this.scheduleRenewal(creds);
    const target = await this.dialTarget();
    if (this.machine.is('closed')) return;
    this.machine.transition('connecting', `dialing ${target.label}`);
    this.log.info({ coordinator: target.label }, 'connecting to the coordinator');
    this.client?.close();
    this.client = agentClient(target, creds.caPem, creds);
    const stream = this.client.Session(new grpc.Metadata(), {});
    this.stream = stream;
    stream.on('data', (m: CoordinatorMessage__Output) => this.onMessage(stream, m));
    stream.on('error', (err: grpc.ServiceError) => this.sessionEnded(stream, err.details || err.message, err.code));
    stream.on('end', () => this.sessionEnded(stream, 'the coordinator closed the session'));
    // A coordinator that accepts the connection and then says nothing (stopped with SIGSTOP, hung,
    // its kernel still completing TCP handshakes) would hold the agent here for good: without a
    // welcome within the RPC timeout the session counts as failed and the next coordinator is tried.
    clearTimeout(this.welcomeTimer);
    this.welcomeTimer = setTimeout(() => {
      if (this.stream !== stream || !this.machine.is('connecting')) return;
      this.sessionEnded(stream, `no welcome from ${target.label} within ${this.opts.rpcTimeoutMs} ms`);
      stream.cancel();
    }, this.opts.rpcTimeoutMs);
    this.welcomeTimer.unref();
    try {
      const inventory = await this.deps.inventory();
      stream.write({
        hello: { agentId: creds.agentId, version: this.opts.version, role: this.opts.role, inventory, report: this.deps.report() },
      });
    } catch (err) {
      stream.cancel();
      this.sessionEnded(stream, `hello failed: ${(err as Error).message}`);
    }
  }

  /** The first end of the current stream counts (an 'error' may follow a cancel); then a retry. */
  private sessionEnded(stream: grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage__Output>, why: string, code?: grpc.status): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    clearInterval(this.heartbeat);
    clearTimeout(this.welcomeTimer);
    if (this.machine.is('closed')) return;
    this.log.warn({ reason: why, coordinator: this.target?.label }, 'coordinator session ended');
    // The next attempt goes to the next coordinator in the list (the same one when it is alone).
    this.rotation.advance();
    // Revoked or unknown: still retried, slowly, so an admin can fix it.
    this.machine.transition(code !== undefined && isRefusal(code) ? 'refused' : 'backoff', why);
    this.retry();
  }

  private onMessage(stream: grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage__Output>, m: CoordinatorMessage__Output): void {
    this.lastHeard = Date.now();
    if (m.heartbeatAck) return;
    if (m.welcome) {
      if (!this.machine.is('connecting')) {
        this.log.warn({ state: this.machine.state }, 'a welcome outside session setup; ignored');
        return;
      }
      clearTimeout(this.welcomeTimer);
      const epoch = m.welcome.epoch;
      this.sessions++;
      this.log.info({ epoch, session: this.sessions, coordinator: this.target?.label }, 'coordinator session online');
      this.epoch = epoch;
      this.machine.transition('online', `welcomed in epoch ${epoch}`);
      void this.deps.store.setLastEpoch(epoch);
      if (this.target) this.remember(this.target.configured);
      const interval = m.welcome.heartbeatIntervalMs || this.opts.heartbeatMs;
      this.heartbeatMs = interval;
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => this.sendHeartbeat(stream), interval);
      this.heartbeat.unref();
      if (this.sessions > 1) this.deps.onReconnect?.();
      this.deps.onSession?.(epoch);
      return;
    }
    if (m.command) {
      const cmd = m.command;
      void this.deps.executor.execute(cmd).then((result) => {
        if (this.stream === stream) stream.write({ result });
      });
    }
  }

  /** Stores the entry that welcomed the agent, to start at after a restart; the board shows it once stored. */
  private remember(configured: string): void {
    this.deps.store.setLastCoordinator(configured).then(
      () => this.deps.board.update((s) => ({ ...s, coordinator: { ...s.coordinator, resumeAt: configured } })),
      (err: unknown) => this.log.warn({ err: (err as Error).message }, 'could not store the coordinator that welcomed the agent'),
    );
  }

  private sendHeartbeat(stream: grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage__Output>): void {
    if (this.stream !== stream) return;
    // Every heartbeat is acknowledged; a coordinator silent for three intervals is gone (a host
    // that vanished without closing its TCP connection), so drop the session and reconnect.
    const silent = Date.now() - this.lastHeard;
    if (silent > 3 * this.heartbeatMs) {
      this.log.warn({ silentMs: silent }, 'no answer from the coordinator; reconnecting');
      stream.cancel();
      return;
    }
    stream.write({ heartbeat: { seq: ++this.seq } });
    const at = new Date().toISOString();
    this.deps.board.update((s) => ({ ...s, coordinator: { ...s.coordinator, lastHeartbeatAt: at } }));
  }

  private scheduleReport(): void {
    if (!this.stream || this.reportTimer) return;
    this.reportTimer = setTimeout(() => {
      this.reportTimer = undefined;
      this.stream?.write({ report: this.deps.report() });
    }, REPORT_DEBOUNCE_MS);
    this.reportTimer.unref();
  }

  private retry(): void {
    this.backoff.schedule(() => void this.connect());
  }

  private scheduleRenewal(creds: Credentials): void {
    clearTimeout(this.renewal);
    // At least a second apart, so a certificate issued already past its renewal point cannot spin.
    const delay = Math.min(Math.max(1000, renewAt(creds) - Date.now()), 2 ** 31 - 1);
    this.renewal = setTimeout(() => {
      // Renewal goes to the coordinator in use; a failure is retried, by then maybe on another.
      this.rotation
        .current()
        .then((target) => renew(target, creds, this.deps.files, this.opts.rpcTimeoutMs, this.log))
        .then((next) => {
          // The open session keeps its TLS connection; the next connection uses the new certificate.
          this.creds = next;
          this.scheduleRenewal(next);
        })
        .catch((err: unknown) => {
          this.log.warn({ err: (err as Error).message }, 'certificate renewal failed; retrying in a minute');
          this.renewal = setTimeout(() => this.scheduleRenewal(creds), 60_000);
          this.renewal.unref();
        });
    }, delay);
    this.renewal.unref();
  }
}
