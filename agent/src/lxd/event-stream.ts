// LXD's event stream (/1.0/events?type=lifecycle&project=P) over a websocket (ws), on the unix
// socket or HTTPS with the pinned server certificate. Lifecycle events of the project are handed
// on; when the stream ends (LXD restarting, socket gone) the state goes down with the reason and the
// stream is opened again after a capped, jittered backoff.

import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { Backoff } from '../../../proto/shared/backoff.js';
import { certificateFingerprint, connectPinned, type LxdEndpoint } from './endpoint.js';

export interface LifecycleEvent {
  /** e.g. instance-created, instance-started, instance-stopped, instance-deleted. */
  action: string;
  /** The resource path, e.g. /1.0/instances/c1?project=p1. */
  source: string;
  project: string;
}

export type StreamState = { type: 'connecting' } | { type: 'open' } | { type: 'down'; reason: string; retryInMs: number } | { type: 'closed' };

export interface EventStreamEvents {
  lifecycle: [event: LifecycleEvent];
  state: [state: StreamState];
}

export class LxdEventStream extends EventEmitter<EventStreamEvents> {
  private ws: WebSocket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly backoff: Backoff;

  constructor(
    private readonly endpoint: LxdEndpoint,
    private readonly project: string,
    private readonly log: Logger,
    backoff: { initialMs: number; maxMs: number } = { initialMs: 200, maxMs: 5000 },
  ) {
    super();
    this.backoff = new Backoff(backoff);
  }

  start(): void {
    this.open();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.ws?.terminate();
    this.ws = undefined;
    this.emit('state', { type: 'closed' });
  }

  private open(): void {
    if (this.closed) return;
    this.emit('state', { type: 'connecting' });
    const query = `type=lifecycle&project=${encodeURIComponent(this.project)}`;
    const ws = this.endpoint.kind === 'unix' ? new WebSocket(`ws+unix://${this.endpoint.socketPath}:/1.0/events?${query}`) : this.openHttps(query);
    this.ws = ws;
    let reason = 'the event stream closed';
    ws.on('open', () => {
      this.backoff.reset();
      this.log.info({ project: this.project }, 'LXD event stream open');
      this.emit('state', { type: 'open' });
    });
    ws.on('message', (data: Buffer) => this.onMessage(data.toString('utf8')));
    ws.on('error', (err) => {
      reason = err.message;
    });
    ws.on('close', () => {
      if (this.ws !== ws || this.closed) return;
      this.ws = undefined;
      const retryInMs = this.backoff.next();
      this.log.warn({ reason, retryInMs }, 'LXD event stream down; resubscribing');
      this.emit('state', { type: 'down', reason, retryInMs });
      this.timer = setTimeout(() => this.open(), retryInMs);
      this.timer.unref();
    });
  }

  private openHttps(query: string): WebSocket {
    if (this.endpoint.kind !== 'https') throw new Error('not an HTTPS endpoint');
    const e = this.endpoint;
    const url = new URL(e.url);
    const fingerprint = certificateFingerprint(e.serverCertPem);
    const port = Number(url.port || 8443);
    return new WebSocket(`wss://${url.host}/1.0/events?${query}`, {
      createConnection: ((_opts: unknown, cb: (err: Error | null, s: Socket | null) => void) => {
        connectPinned({ host: url.hostname, port, certPem: e.certPem, keyPem: e.keyPem, fingerprint }, cb);
        return undefined;
      }) as never,
    });
  }

  /** One event per websocket message; anything else is logged and skipped. */
  private onMessage(text: string): void {
    let ev: { type?: string; project?: string; metadata?: { action?: string; source?: string } };
    try {
      ev = JSON.parse(text) as typeof ev;
    } catch {
      this.log.warn({ bytes: text.length }, 'LXD sent an event that is not JSON; skipped');
      return;
    }
    if (ev.type !== 'lifecycle' || !ev.metadata?.action) return;
    // The stream is filtered by project already; this check keeps another project's events out even so.
    const project = ev.project || projectOfSource(ev.metadata.source ?? '') || 'default';
    if (project !== this.project) return;
    this.emit('lifecycle', { action: ev.metadata.action, source: ev.metadata.source ?? '', project });
  }
}

function projectOfSource(source: string): string {
  const q = source.indexOf('?');
  return q < 0 ? '' : (new URLSearchParams(source.slice(q + 1)).get('project') ?? '');
}
