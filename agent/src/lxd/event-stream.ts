// LXD's event stream (/1.0/events?type=lifecycle&project=P) over a websocket (ws), on the unix
// socket or HTTPS with the pinned server certificate. Lifecycle events of the project are handed
// on; when the stream ends (LXD restarting, socket gone) the state goes down with the reason and the
// stream is opened again after a capped, jittered backoff.

import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { Backoff } from '../../../proto/shared/backoff.js';
import { StateMachine, type Transition, type TransitionTable } from '../../../proto/shared/state-machine.js';
import { certificateFingerprint, connectPinned, type LxdEndpoint } from './endpoint.js';

export interface LifecycleEvent {
  /** e.g. instance-created, instance-started, instance-stopped, instance-deleted. */
  action: string;
  /** The resource path, e.g. /1.0/instances/c1?project=p1. */
  source: string;
  project: string;
}

export type StreamState =
  { type: 'connecting' } | { type: 'open' } | { type: 'down'; reason: string; retryInMs: number } | { type: 'closed' };

type Phase = StreamState['type'] | 'idle';

const STREAM_TRANSITIONS: TransitionTable<Phase> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'down', 'closed'],
  open: ['down', 'closed'],
  down: ['connecting', 'closed'],
  closed: [],
};

/** Why the stream changed state; for `down`, also the wait before it is opened again. */
interface PhaseReason {
  readonly text: string;
  readonly retryInMs?: number;
}

export interface EventStreamEvents {
  lifecycle: [event: LifecycleEvent];
  state: [state: StreamState];
}

export class LxdEventStream extends EventEmitter<EventStreamEvents> {
  private ws: WebSocket | undefined;
  private readonly backoff: Backoff;
  private readonly machine: StateMachine<Phase, PhaseReason>;

  constructor(
    private readonly endpoint: LxdEndpoint,
    private readonly project: string,
    private readonly log: Logger,
    backoff: { initialMs: number; maxMs: number } = { initialMs: 200, maxMs: 5000 },
  ) {
    super();
    this.backoff = new Backoff(backoff);
    this.machine = new StateMachine<Phase, PhaseReason>({
      name: `LXD event stream (${project})`,
      initial: 'idle',
      allowed: STREAM_TRANSITIONS,
      onEnter: { open: () => this.backoff.reset(), closed: () => this.release() },
      log,
    });
    this.machine.onTransition((t) => this.announce(t));
  }

  /** Opens the stream; a stream already started (or closed) throws, naming its state. */
  start(): void {
    this.open();
  }

  close(): void {
    if (!this.machine.is('closed')) this.machine.transition('closed', { text: 'closed by the agent' });
  }

  private release(): void {
    this.backoff.cancel();
    this.ws?.terminate();
    this.ws = undefined;
  }

  private announce({ to, reason }: Transition<Phase, PhaseReason>): void {
    if (to === 'idle') return;
    this.emit('state', to === 'down' ? { type: 'down', reason: reason.text, retryInMs: reason.retryInMs ?? 0 } : { type: to });
  }

  private open(): void {
    this.machine.transition('connecting', { text: 'subscribing' });
    const query = `type=lifecycle&project=${encodeURIComponent(this.project)}`;
    const ws =
      this.endpoint.kind === 'unix' ? new WebSocket(`ws+unix://${this.endpoint.socketPath}:/1.0/events?${query}`) : this.openHttps(query);
    this.ws = ws;
    let reason = 'the event stream closed';
    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.log.info({ project: this.project }, 'LXD event stream open');
      this.machine.transition('open', { text: 'subscribed' });
    });
    ws.on('message', (data: Buffer) => this.onMessage(data.toString('utf8')));
    ws.on('error', (err) => {
      reason = err.message;
    });
    ws.on('close', () => {
      if (this.ws !== ws || this.machine.is('closed')) return;
      this.ws = undefined;
      const retryInMs = this.backoff.schedule(() => this.open());
      this.log.warn({ reason, retryInMs }, 'LXD event stream down; resubscribing');
      this.machine.transition('down', { text: reason, retryInMs });
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
