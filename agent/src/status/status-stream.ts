// The /status/stream websocket: each subscriber gets the current snapshot on connect, then every
// StatusBoard change, each as one JSON text message {type, seq, status}. seq grows by one per board
// change, so a client that was too slow to receive everything sees the gap. Slow clients are
// handled by LatestOnlySender (drop to latest); clients are not expected to send anything. At most
// maxClients subscribers are held (each holds a socket and up to two snapshots); one more is
// answered 503, so a flood of subscriptions cannot use up the process's file descriptors.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { LatestOnlySender } from './latest-only-sender.js';
import { refuseUpgrade } from './upgrade-refusal.js';
import type { AgentStatus, StatusBoard } from './status-board.js';

export type StatusMessage = { type: 'snapshot' | 'change'; seq: number; status: AgentStatus };

export const STREAM_PATH = '/status/stream';

interface Client {
  ws: WebSocket;
  sender: LatestOnlySender;
}

export class StatusStream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096, clientTracking: false });
  private readonly clients = new Set<Client>();
  private seq = 0;
  private closed = false;
  private readonly onChange = (status: AgentStatus): void => {
    this.seq++;
    const data = JSON.stringify({ type: 'change', seq: this.seq, status } satisfies StatusMessage);
    for (const c of this.clients) c.sender.push(data);
  };

  constructor(
    private readonly board: StatusBoard,
    private readonly maxClients: number,
    private readonly log?: Logger,
  ) {
    board.on('change', this.onChange);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Messages dropped for slow clients so far, over all current clients. */
  get dropped(): number {
    let n = 0;
    for (const c of this.clients) n += c.sender.dropped;
    return n;
  }

  /** Takes over an HTTP upgrade request for STREAM_PATH; false when refused for want of room. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (this.closed) {
      socket.destroy();
      return true;
    }
    if (this.clients.size >= this.maxClients) {
      refuseUpgrade(socket, 503, `${STREAM_PATH} has its maximum of ${this.maxClients} subscribers; try again later`, {
        'Retry-After': '10',
      });
      return false;
    }
    // ws completes a handshake synchronously (no verifyClient, no async extension negotiation),
    // so the client is counted before the next upgrade is looked at.
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
    return true;
  }

  /** Terminates every subscriber and stops listening to the board. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.board.off('change', this.onChange);
    for (const c of this.clients) {
      c.sender.close();
      c.ws.terminate();
    }
    this.clients.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const sender = new LatestOnlySender(
      (data, done) => ws.send(data, done),
      (err) => this.log?.debug({ peer, err: err.message }, 'status stream send failed'),
    );
    const client: Client = { ws, sender };
    this.clients.add(client);
    this.log?.debug({ peer, clients: this.clients.size }, 'status stream client connected');
    ws.on('error', (err) => this.log?.debug({ peer, err: err.message }, 'status stream client error'));
    ws.on('close', () => {
      sender.close();
      this.clients.delete(client);
      this.log?.debug({ peer, dropped: sender.dropped, clients: this.clients.size }, 'status stream client disconnected');
    });
    sender.push(JSON.stringify({ type: 'snapshot', seq: this.seq, status: this.board.snapshot } satisfies StatusMessage));
  }
}
