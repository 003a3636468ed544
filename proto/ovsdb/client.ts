// The OVSDB client: one logical session to one server that survives reconnects. It speaks the RFC
// 7047 methods plus the Open vSwitch extensions (monitor_cond/update2, set_db_change_aware), keeps
// monitors and wanted locks across reconnects, answers the server's echo probes and, on TCP/TLS,
// probes the server itself when the link is idle.

import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { Backoff } from '../shared/backoff.js';
import { StateMachine, type Transition } from '../shared/state-machine.js';
import { ClientClosedError, NotConnectedError, OvsdbProtocolError, OvsdbRpcError, TransactionError } from './errors.js';
import { JsonRpcConnection } from './jsonrpc.js';
import { Monitor, type MonitorMethod, type MonitorSpec } from './monitor.js';
import { Replica } from './replica.js';
import { type DbSchema, parseSchema, tableOf } from './schema.js';
import { type Remote, type TlsMaterial, formatRemote, openStream, parseRemote } from './transport.js';
import {
  CLIENT_TRANSITIONS,
  type ClientState,
  type Lifecycle,
  resolveOptions,
  type OvsdbClientOptions,
  type ResolvedOptions,
  type StateReason,
} from './options.js';

export type { Lifecycle, ClientState, OvsdbClientOptions } from './options.js';

export interface ClientEvents {
  lifecycle: [event: Lifecycle];
  /** RFC 7047 §4.1.9–10 lock notifications. `locked` may repeat for a lock already held. */
  lock: [event: { type: 'locked' | 'stolen'; name: string }];
  /** A request was answered (or failed): its method and round-trip time, for latency metrics. */
  request: [event: { method: string; ms: number; ok: boolean }];
}

export type Operation = { op: string } & Record<string, unknown>;

export class OvsdbClient extends EventEmitter<ClientEvents> {
  readonly remote: Remote;
  private readonly opts: ResolvedOptions;
  private readonly machine: StateMachine<ClientState, StateReason>;
  private rpc: JsonRpcConnection | undefined;
  private readonly backoff: Backoff;
  private probeTimer: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  private readonly monitors = new Map<string, Monitor>();
  private readonly wantedLocks = new Set<string>();
  /** Locks the server has said we hold (to tell a former holder it lost one across a reconnect). */
  private readonly heldLocks = new Set<string>();
  /** The connection being set up, so close() can end it before it is announced. */
  private settingUp: JsonRpcConnection | undefined;
  private readonly schemas = new Map<string, DbSchema>();
  private nextMonitorId = 1;
  private connectedOnce = false;

  constructor(
    options: OvsdbClientOptions,
    private readonly log?: Logger,
  ) {
    super();
    this.opts = resolveOptions(options);
    this.remote = typeof options.remote === 'string' ? parseRemote(options.remote) : options.remote;
    this.backoff = new Backoff(this.opts.reconnect);
    this.machine = new StateMachine<ClientState, StateReason>({
      name: `ovsdb ${this.remoteText}`,
      initial: 'idle',
      allowed: CLIENT_TRANSITIONS,
      onEnter: { closed: () => this.release() },
      log: this.log,
    });
    this.machine.onTransition((t) => this.announce(t));
  }

  /** Connects once; rejects if that first attempt fails. Later drops reconnect in the background. */
  static async connect(options: OvsdbClientOptions, log?: Logger): Promise<OvsdbClient> {
    const client = new OvsdbClient(options, log);
    try {
      await client.attempt();
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  get state(): ClientState {
    return this.machine.state;
  }

  get remoteText(): string {
    return formatRemote(this.remote);
  }

  /** Starts connecting in the background, retrying with backoff until connected or closed. */
  start(): void {
    if (!this.machine.is('idle')) return;
    this.attempt().catch(() => undefined);
  }

  /** Resolves once connected (immediately if already), rejects after timeoutMs or on close. */
  waitConnected(timeoutMs: number): Promise<void> {
    if (this.machine.is('connected')) return Promise.resolve();
    if (this.machine.is('closed')) return Promise.reject(new ClientClosedError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('lifecycle', onEvent);
        reject(new NotConnectedError('wait for connection', `${this.machine.state} after ${timeoutMs} ms`));
      }, timeoutMs);
      const onEvent = (e: Lifecycle): void => {
        if (e.type !== 'connected' && e.type !== 'closed') return;
        clearTimeout(timer);
        this.off('lifecycle', onEvent);
        if (e.type === 'connected') resolve();
        else reject(new ClientClosedError());
      };
      this.on('lifecycle', onEvent);
    });
  }

  close(): void {
    if (this.machine.is('closed')) return;
    this.machine.transition('closed', { why: 'closed by the caller', lost: false, cause: undefined });
  }

  // ---- RFC 7047 methods ----

  async listDbs(): Promise<string[]> {
    const r = await this.call('list_dbs', []);
    if (!Array.isArray(r) || !r.every((x) => typeof x === 'string'))
      throw new OvsdbProtocolError('list_dbs result is not an array of names');
    return r;
  }

  async getSchema(db: string): Promise<DbSchema> {
    const cached = this.schemas.get(db);
    if (cached) return cached;
    const schema = parseSchema(await this.call('get_schema', [db]));
    this.schemas.set(db, schema);
    return schema;
  }

  /**
   * RFC 7047 §4.1.3. Per-operation errors and the extra commit-error slot become TransactionError;
   * the JSON-RPC error member stays null in both cases, so the result array is always scanned.
   */
  async transact(db: string, ops: readonly Operation[], timeoutMs?: number): Promise<Record<string, unknown>[]> {
    const result = await this.call('transact', [db, ...ops], timeoutMs);
    if (!Array.isArray(result)) throw new OvsdbProtocolError('transact result is not an array');
    for (let i = 0; i < result.length; i++) {
      const r = result[i] as { error?: unknown; details?: unknown } | null;
      if (r && typeof r === 'object' && typeof r.error === 'string') {
        const op = i < ops.length ? ops[i]!.op : 'commit';
        throw new TransactionError(r.error, typeof r.details === 'string' ? r.details : undefined, i, op);
      }
    }
    if (result.length < ops.length) throw new OvsdbProtocolError(`transact returned ${result.length} results for ${ops.length} operations`);
    return result as Record<string, unknown>[];
  }

  async echo(params: unknown[] = []): Promise<unknown[]> {
    return (await this.call('echo', params)) as unknown[];
  }

  async setDbChangeAware(aware = true): Promise<void> {
    await this.call('set_db_change_aware', [aware]);
  }

  /** RFC 7047 §4.1.8. Resolves with whether the lock is held now; a held lock is re-taken after reconnects. */
  async lock(name: string): Promise<boolean> {
    return this.takeLock('lock', name);
  }

  async steal(name: string): Promise<boolean> {
    return this.takeLock('steal', name);
  }

  async unlock(name: string): Promise<void> {
    this.wantedLocks.delete(name);
    this.heldLocks.delete(name);
    await this.call('unlock', [name]);
  }

  private async takeLock(method: 'lock' | 'steal', name: string): Promise<boolean> {
    let r: { locked?: unknown };
    try {
      r = (await this.call(method, [name])) as { locked?: unknown };
    } catch (err) {
      // A lock the server refused (e.g. a bad name) must not be re-sent after every reconnect.
      if (err instanceof OvsdbRpcError) this.wantedLocks.delete(name);
      throw err;
    }
    this.wantedLocks.add(name);
    if (r.locked === true) this.heldLocks.add(name);
    return r.locked === true;
  }

  /** After a reconnect: ask for every wanted lock again and say what changed. */
  private async retakeLocks(rpc: JsonRpcConnection): Promise<void> {
    for (const name of [...this.wantedLocks]) {
      let locked: boolean;
      try {
        locked = ((await rpc.request('lock', [name])) as { locked?: unknown }).locked === true;
      } catch (err) {
        if (!(err instanceof OvsdbRpcError)) throw err;
        this.log?.warn({ lock: name, err: err.message }, 'the server refused a lock on reconnect; dropping it');
        this.wantedLocks.delete(name);
        this.heldLocks.delete(name);
        continue;
      }
      // ovsdb-server sends no "locked" notification for a lock granted at once; a former holder
      // that now waits has lost the lock.
      const held = this.heldLocks.has(name);
      if (locked) {
        this.heldLocks.add(name);
        queueMicrotask(() => this.emit('lock', { type: 'locked', name }));
      } else if (held) {
        this.heldLocks.delete(name);
        queueMicrotask(() => this.emit('lock', { type: 'stolen', name }));
      }
    }
  }

  /**
   * Starts a monitor with monitor_cond (update2 diffs), falling back to the RFC 7047 monitor when
   * the server does not know monitor_cond. The returned monitor's replica is filled before this
   * resolves and is rebuilt after every reconnect.
   */
  async monitor(db: string, spec: MonitorSpec, method: MonitorMethod = this.opts.monitorMethod): Promise<Monitor> {
    const schema = await this.getSchema(db);
    const tables: Record<string, string[] | undefined> = {};
    for (const [name, req] of Object.entries(spec)) {
      const t = tableOf(schema, name);
      for (const col of req.columns ?? []) if (!t.columns.has(col)) throw new OvsdbRpcError('monitor', 'unknown column', `${name}.${col}`);
      tables[name] = req.columns;
    }
    const id = `mooring-${this.nextMonitorId++}`;
    const monitor = new Monitor(
      id,
      db,
      spec,
      new Replica(schema, tables),
      (m) => this.cancelMonitor(m),
      method,
      (err) => this.log?.error({ err, monitor: id }, 'a monitor update listener threw; the session goes on'),
    );
    this.monitors.set(id, monitor);
    try {
      await this.subscribe(this.requireRpc('monitor'), monitor, false);
    } catch (err) {
      this.monitors.delete(id);
      monitor.end();
      throw err;
    }
    return monitor;
  }

  // ---- internals ----

  private isClosed(): boolean {
    return this.machine.is('closed');
  }

  private async cancelMonitor(m: Monitor): Promise<void> {
    this.monitors.delete(m.id);
    m.end();
    if (this.machine.is('connected')) await this.call('monitor_cancel', [m.id]);
  }

  private async subscribe(rpc: JsonRpcConnection, m: Monitor, rebuilt: boolean): Promise<void> {
    m.beginSnapshot();
    if (m.method === 'monitor_cond') {
      try {
        const initial = await rpc.request('monitor_cond', [m.db, m.id, condRequests(m.spec)]);
        m.applySnapshot(initial, rebuilt);
        return;
      } catch (err) {
        if (!(err instanceof OvsdbRpcError && err.error === 'unknown method')) throw err;
        this.log?.info({ remote: this.remoteText }, 'server lacks monitor_cond; using RFC 7047 monitor');
        m.method = 'monitor';
      }
    }
    for (const req of Object.values(m.spec)) {
      if (req.where && req.where.length > 0) throw new OvsdbRpcError('monitor', 'not supported', 'conditions need monitor_cond');
    }
    const initial = await rpc.request('monitor', [m.db, m.id, legacyRequests(m.spec)]);
    m.applySnapshot(initial, rebuilt);
  }

  private requireRpc(method: string): JsonRpcConnection {
    if (this.machine.is('closed')) throw new ClientClosedError();
    if (!this.machine.is('connected') || !this.rpc) throw new NotConnectedError(method, this.machine.state);
    return this.rpc;
  }

  private call(method: string, params: unknown[], timeoutMs?: number): Promise<unknown> {
    let pending: Promise<unknown>;
    try {
      pending = this.requireRpc(method).request(method, params, timeoutMs);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    if (this.listenerCount('request') === 0) return pending;
    const started = performance.now();
    const done = (ok: boolean): void => void this.emit('request', { method, ms: performance.now() - started, ok });
    return pending.then(
      (r) => (done(true), r),
      (err: unknown) => {
        done(false);
        throw err;
      },
    );
  }

  /** Every lifecycle event is emitted here, from the transition that causes it. */
  private announce({ from, to, reason }: Transition<ClientState, StateReason>): void {
    // A connection that was up and is now gone is announced as such before what follows it.
    if (reason.lost && from === 'connected') this.emit('lifecycle', { type: 'disconnected', cause: reason.cause });
    // A listener that closed the client meanwhile has had 'closed' announced: nothing stale follows it.
    if (this.machine.state !== to) return;
    if (to === 'connected') {
      const event: Lifecycle = { type: 'connected', remote: this.remoteText, reconnect: this.connectedOnce };
      this.connectedOnce = true;
      this.emit('lifecycle', event);
    } else if (to === 'backoff') {
      this.emit('lifecycle', { type: 'reconnecting', attempt: this.backoff.attempts, delayMs: reason.delayMs ?? 0, cause: reason.cause });
    } else if (to === 'closed') {
      this.emit('lifecycle', { type: 'closed' });
    }
  }

  /** Entry action of 'closed': nothing of the session outlives it, no timer and no connection. */
  private release(): void {
    this.backoff.cancel();
    this.stopProbe();
    this.rpc?.close(new ClientClosedError());
    this.settingUp?.close(new ClientClosedError());
    this.rpc = this.settingUp = undefined;
    for (const m of this.monitors.values()) m.end();
    this.monitors.clear();
  }

  /** One connection attempt; on failure schedules the next one (unless closed). */
  private async attempt(): Promise<void> {
    if (this.machine.is('closed')) throw new ClientClosedError();
    this.machine.transition('connecting', { why: 'connecting', lost: false, cause: undefined });
    let rpc: JsonRpcConnection | undefined;
    try {
      const stream = await openStream(this.remote, this.opts.tls, this.opts.connectTimeoutMs);
      if (this.isClosed()) {
        stream.destroy();
        throw new ClientClosedError();
      }
      rpc = new JsonRpcConnection(stream, this.opts);
      rpc.on('notification', (method, params) => this.onNotification(method, params));
      rpc.on('activity', () => (this.lastActivity = Date.now()));
      const thisRpc = rpc;
      rpc.on('close', (cause) => this.onDisconnect(thisRpc, cause));
      this.settingUp = rpc;
      await this.setUpSession(rpc);
      if (this.isClosed()) throw new ClientClosedError();
    } catch (err) {
      rpc?.close(err as Error);
      if (!this.isClosed()) this.scheduleReconnect(err as Error);
      throw err;
    } finally {
      this.settingUp = undefined;
    }
    this.rpc = rpc;
    this.backoff.reset();
    this.startProbe(rpc);
    this.machine.transition('connected', { why: 'session set up', lost: false, cause: undefined });
  }

  /** Per-connection setup: change awareness, fresh schemas, monitors and wanted locks. */
  private async setUpSession(rpc: JsonRpcConnection): Promise<void> {
    this.schemas.clear();
    if (this.opts.dbChangeAware) {
      // Without it ovsdb-server drops a cancelled request with no reply (protocol-facts §1.5).
      await rpc.request('set_db_change_aware', [true]).catch((err: unknown) => {
        if (!(err instanceof OvsdbRpcError)) throw err;
      });
    }
    for (const m of this.monitors.values()) await this.subscribe(rpc, m, true);
    await this.retakeLocks(rpc);
  }

  private onDisconnect(rpc: JsonRpcConnection, cause: Error | undefined): void {
    if (rpc !== this.rpc) return; // a connection that never finished setting up
    this.rpc = undefined;
    this.stopProbe();
    if (this.machine.is('closed')) return;
    this.log?.warn({ remote: this.remoteText, err: cause?.message }, 'ovsdb connection lost');
    this.scheduleReconnect(cause, true);
  }

  /** After a failed attempt or a lost connection: backoff with the next attempt scheduled, or closed. */
  private scheduleReconnect(cause: Error | undefined, lost = false): void {
    if (!this.opts.reconnect.enabled) {
      this.machine.transition('closed', { why: 'reconnecting is off', lost, cause });
      return;
    }
    const delayMs = this.backoff.schedule(() => {
      this.attempt().catch(() => undefined);
    });
    this.machine.transition('backoff', { why: 'reconnecting', lost, cause, delayMs });
  }

  private onNotification(method: string, params: unknown[]): void {
    switch (method) {
      case 'update2':
      case 'update': {
        const m = this.monitors.get(String(params[0]));
        m?.onUpdate(method === 'update2' ? 'monitor_cond' : 'monitor', params[1]);
        return;
      }
      case 'locked':
      case 'stolen': {
        const name = String(params[0]);
        if (method === 'locked') this.heldLocks.add(name);
        else this.heldLocks.delete(name);
        this.emit('lock', { type: method, name });
        return;
      }
      case 'monitor_canceled': {
        // The server dropped the monitor (database removed or converted): subscribe again.
        const m = this.monitors.get(String(params[0]));
        if (m && this.rpc) this.subscribe(this.rpc, m, true).catch((err: unknown) => this.rpc?.close(err as Error));
        return;
      }
      default:
        this.log?.debug({ method }, 'ignoring OVSDB notification');
    }
  }

  /** RFC 7047 §4.1.11 keepalive, as ovsdb-server does it: probe after an idle interval, drop after two. */
  private startProbe(rpc: JsonRpcConnection): void {
    const interval = this.opts.probeIntervalMs;
    if (interval <= 0 || this.remote.kind === 'unix') return;
    this.lastActivity = Date.now();
    this.probeTimer = setInterval(
      () => {
        const idle = Date.now() - this.lastActivity;
        if (idle >= 2 * interval) rpc.close(new OvsdbProtocolError(`no traffic from ${this.remoteText} for ${idle} ms; keepalive failed`));
        else if (idle >= interval) rpc.sendKeepalive();
      },
      Math.max(100, Math.floor(interval / 2)),
    );
    this.probeTimer.unref();
  }

  private stopProbe(): void {
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }
}

function condRequests(spec: MonitorSpec): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [table, req] of Object.entries(spec)) {
    const r: Record<string, unknown> = {};
    if (req.columns) r.columns = req.columns;
    if (req.where) r.where = req.where;
    out[table] = [r];
  }
  return out;
}

function legacyRequests(spec: MonitorSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [table, req] of Object.entries(spec)) out[table] = req.columns ? { columns: req.columns } : {};
  return out;
}

export type { TlsMaterial };
