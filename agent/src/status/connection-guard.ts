// Keeps a flood of connections from starving /healthz. The status server's HTTP connections are
// either busy (a request is being answered) or waiting (accepted and not yet sent a whole request,
// or kept alive between requests). At most maxConnections are held; when one more arrives, the
// connection that has been waiting longest is closed. A probe connects and sends its request at
// once, so it is never the longest-waiting one for long, while idle, slow or half-sent connections
// are closed in the order they came; busy connections are never closed to make room. If every held
// connection is busy the newcomer itself is the one closed.
//
// The file descriptor limit is no defence: when it is reached the kernel's accept queue holds the
// probe and libuv accepts and at once closes it (or nothing is accepted at all), so the process
// must stay under the limit itself. Websocket subscribers leave this accounting on upgrade; the
// stream caps them separately.

import type { Socket } from 'node:net';

interface Tracked {
  socket: Socket;
  /** Requests received and not yet answered (more than one only when a client pipelines). */
  inFlight: number;
}

export interface ConnectionGuardEvents {
  /** A waiting connection was closed to make room; total counts every one closed so far. */
  onEvict?: (socket: Socket, total: number) => void;
}

export class ConnectionGuard {
  /** Waiting connections, longest-waiting first (a Map keeps insertion order). */
  private readonly waiting = new Map<Socket, Tracked>();
  private readonly busy = new Map<Socket, Tracked>();
  private evictedTotal = 0;

  constructor(
    private readonly maxConnections: number,
    private readonly events: ConnectionGuardEvents = {},
  ) {}

  /** HTTP connections held (waiting and busy). */
  get size(): number {
    return this.waiting.size + this.busy.size;
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Connections closed to make room so far. */
  get evicted(): number {
    return this.evictedTotal;
  }

  /** A connection was accepted: it waits for its first request. */
  accepted(socket: Socket): void {
    this.waiting.set(socket, { socket, inFlight: 0 });
    socket.once('close', () => this.forget(socket));
    while (this.size > this.maxConnections) {
      const oldest = this.waiting.keys().next();
      if (oldest.done) break;
      this.forget(oldest.value);
      this.evictedTotal++;
      oldest.value.destroy();
      this.events.onEvict?.(oldest.value, this.evictedTotal);
    }
  }

  /** A whole request head arrived on the connection. */
  requestStarted(socket: Socket): void {
    const t = this.waiting.get(socket) ?? this.busy.get(socket);
    if (!t) return;
    this.waiting.delete(socket);
    t.inFlight++;
    this.busy.set(socket, t);
  }

  /** A response was sent (or abandoned); with none left the connection waits again, as the newest. */
  requestFinished(socket: Socket): void {
    const t = this.busy.get(socket);
    if (!t) return;
    t.inFlight--;
    if (t.inFlight > 0) return;
    this.busy.delete(socket);
    if (!socket.destroyed) this.waiting.set(socket, t);
  }

  /** The connection was upgraded (or is being refused as an upgrade): no longer an HTTP connection. */
  upgraded(socket: Socket): void {
    this.forget(socket);
  }

  private forget(socket: Socket): void {
    this.waiting.delete(socket);
    this.busy.delete(socket);
  }
}
