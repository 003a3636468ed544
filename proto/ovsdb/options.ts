// Client options, compiled once into a fully-required, frozen form.

import type { Remote, TlsMaterial } from './transport.js';
import type { MonitorMethod } from './monitor.js';
import type { TransitionTable } from '../shared/state-machine.js';

export type ClientState = 'idle' | 'connecting' | 'connected' | 'backoff' | 'closed';

/** The client's lifecycle: `idle` until started, back to `connecting` only from `backoff`. */
export const CLIENT_TRANSITIONS = {
  idle: ['connecting', 'closed'],
  connecting: ['connected', 'backoff', 'closed'],
  connected: ['backoff', 'closed'],
  backoff: ['connecting', 'closed'],
  closed: [],
} as const satisfies TransitionTable<ClientState>;

/** Why the client changed state: what the lifecycle events it causes carry. */
export interface StateReason {
  readonly why: string;
  /** An established connection was lost (announced as 'disconnected' first). */
  readonly lost: boolean;
  readonly cause: Error | undefined;
  /** For `backoff`: the wait before the next attempt. */
  readonly delayMs?: number;
}

export type Lifecycle =
  | { type: 'connected'; remote: string; reconnect: boolean }
  | { type: 'disconnected'; cause: Error | undefined }
  | { type: 'reconnecting'; attempt: number; delayMs: number; cause: Error | undefined }
  | { type: 'closed' };

export interface OvsdbClientOptions {
  /** unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT (or a parsed Remote). */
  remote: string | Remote;
  /** Client key, certificate and CA for ssl: remotes (OVS requires mutual TLS). */
  tls?: TlsMaterial;
  /** Largest message accepted from the server (default 64 MiB). */
  maxMessageBytes?: number;
  /** Default per-request timeout (default 30 s; 0 for none). */
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect with capped, jittered backoff (default 200 ms doubling to 5 s); false to stay closed. */
  reconnect?: { initialMs: number; maxMs: number } | false;
  /** Keepalive probe interval on TCP/TLS (default 5000 ms, as ovsdb-server; 0 disables). */
  probeIntervalMs?: number;
  /** Send set_db_change_aware on every connection (default true). */
  dbChangeAware?: boolean;
  /** monitor_cond (default) or the RFC 7047 monitor. */
  monitorMethod?: MonitorMethod;
}

export interface ResolvedOptions {
  readonly tls: TlsMaterial | undefined;
  readonly maxMessageBytes: number;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly reconnect: { readonly enabled: boolean; readonly initialMs: number; readonly maxMs: number };
  readonly probeIntervalMs: number;
  readonly dbChangeAware: boolean;
  readonly monitorMethod: MonitorMethod;
}

export function resolveOptions(o: OvsdbClientOptions): ResolvedOptions {
  const reconnect =
    o.reconnect === false
      ? { enabled: false, initialMs: 0, maxMs: 0 }
      : { enabled: true, ...(o.reconnect ?? { initialMs: 200, maxMs: 5000 }) };
  const probe = o.probeIntervalMs ?? 5000;
  return Object.freeze({
    tls: o.tls,
    maxMessageBytes: o.maxMessageBytes ?? 64 * 1024 * 1024,
    requestTimeoutMs: o.requestTimeoutMs ?? 30_000,
    connectTimeoutMs: o.connectTimeoutMs ?? 5_000,
    reconnect: Object.freeze(reconnect),
    // ovsdb-server clamps non-zero intervals to at least 1000 ms; so do we.
    probeIntervalMs: probe === 0 ? 0 : Math.max(1000, probe),
    dbChangeAware: o.dbChangeAware ?? true,
    monitorMethod: o.monitorMethod ?? 'monitor_cond',
  });
}
