// JSON-RPC 1.0 over one duplex byte stream, as RFC 7047 §4 uses it. Requests correlate through one
// pending map; every outstanding request is rejected with ConnectionClosedError when the stream
// ends; the server's echo requests are answered here, below the client.

import type { Duplex } from 'node:stream';
import { EventEmitter } from 'node:events';
import { ConnectionClosedError, OvsdbProtocolError, OvsdbRpcError, RequestTimeoutError, UnsendableRequestError } from './errors.js';
import { JsonFramer } from './framer.js';
import { mayHoldUnparseable, unparseableStringPath } from './wire-text.js';

export type RequestId = number | string;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export interface JsonRpcOptions {
  maxMessageBytes: number;
  /** Default per-request timeout; 0 means none. */
  requestTimeoutMs: number;
}

export interface JsonRpcEvents {
  /** A notification (id null) or a request from the peer other than echo. */
  notification: [method: string, params: unknown[]];
  /** Emitted once, with the reason when the peer misbehaved or the stream failed. */
  close: [cause: Error | undefined];
  /** Bytes arrived (used for keepalive accounting). */
  activity: [];
}

/**
 * One JSON-RPC session on a stream. It owns the stream: close() destroys it, and a protocol
 * violation by the peer destroys it with the violation as the cause.
 */
export class JsonRpcConnection extends EventEmitter<JsonRpcEvents> {
  private readonly pending = new Map<RequestId, Pending>();
  private readonly framer: JsonFramer;
  private nextId = 1;
  private closed = false;
  private closeCause: Error | undefined;

  constructor(
    private readonly stream: Duplex,
    private readonly options: JsonRpcOptions,
  ) {
    super();
    this.framer = new JsonFramer({ maxMessageBytes: options.maxMessageBytes });
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', (err: Error) => this.shutdown(err));
    stream.on('close', () => this.shutdown(undefined));
    stream.on('end', () => this.shutdown(undefined));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Sends a request and resolves with its result; rejects with OvsdbRpcError on an error reply. */
  request(method: string, params: unknown[], timeoutMs = this.options.requestTimeoutMs): Promise<unknown> {
    if (this.closed) return Promise.reject(new ConnectionClosedError(method, { cause: this.closeCause }));
    const id = this.nextId;
    // Serialized before the entry is stored: params JSON cannot carry (a BigInt, a cycle) must not
    // leave an entry in the pending map that no reply will ever settle.
    let text: string;
    try {
      text = JSON.stringify({ method, params, id });
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    // A string ovsdb-server cannot parse would cost the whole connection (wire-text.ts): refuse it.
    if (mayHoldUnparseable(text)) {
      const unparseable = unparseableStringPath(params);
      if (unparseable !== null) return Promise.reject(new UnsendableRequestError(method, unparseable));
    }
    this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const entry: Pending = { method, resolve, reject, timer: undefined };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new RequestTimeoutError(method, timeoutMs));
        }, timeoutMs);
        entry.timer.unref();
      }
      this.pending.set(id, entry);
      this.stream.write(text, (err) => {
        if (!err) return;
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        if (p.timer) clearTimeout(p.timer);
        p.reject(new ConnectionClosedError(method, { cause: err }));
      });
    });
  }

  /** Sends a notification (id null): no reply is expected. */
  notify(method: string, params: unknown[]): void {
    if (this.closed) return;
    this.write({ method, params, id: null });
  }

  /** Closes the stream; pending requests are rejected with ConnectionClosedError. */
  close(cause?: Error): void {
    if (!this.closed) this.stream.destroy();
    this.shutdown(cause);
  }

  private write(message: object, done?: (err?: Error | null) => void): void {
    this.stream.write(JSON.stringify(message), done);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.emit('activity');
    let messages: unknown[];
    try {
      messages = this.framer.push(chunk);
    } catch (err) {
      this.close(err as Error);
      return;
    }
    for (const message of messages) {
      if (this.closed) return;
      try {
        this.dispatch(message);
      } catch (err) {
        this.close(err as Error);
        return;
      }
    }
  }

  private dispatch(message: unknown): void {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new OvsdbProtocolError('OVSDB peer sent a JSON-RPC message that is not an object');
    }
    const m = message as Record<string, unknown>;
    if (typeof m.method === 'string') {
      if (!Array.isArray(m.params)) {
        throw new OvsdbProtocolError(`OVSDB peer sent "${m.method}" without a params array`);
      }
      const id = m.id;
      if (id === null || id === undefined) {
        this.emit('notification', m.method, m.params);
      } else if (m.method === 'echo') {
        // RFC 7047 §4.1.11: reply with the same params; ovsdb-server uses the id "echo".
        this.write({ result: m.params, error: null, id });
      } else {
        this.write({ result: null, error: 'unknown method', id });
      }
      return;
    }
    if (!('id' in m) || !('result' in m || 'error' in m)) {
      throw new OvsdbProtocolError('OVSDB peer sent an object that is neither a request, a notification nor a reply');
    }
    const id = m.id;
    if (id === 'echo') return; // the reply to an echo we sent as keepalive; activity already counted
    if (typeof id !== 'number' && typeof id !== 'string') {
      throw new OvsdbProtocolError(`OVSDB peer sent a reply with an invalid id ${JSON.stringify(id)}`);
    }
    const entry = this.pending.get(id);
    if (!entry) return; // a reply after our timeout fired: nothing waits for it any more
    this.pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    if (m.error !== null && m.error !== undefined) {
      const e = m.error as { error?: unknown; details?: unknown } | string;
      if (typeof e === 'string') entry.reject(new OvsdbRpcError(entry.method, e));
      else
        entry.reject(
          new OvsdbRpcError(
            entry.method,
            typeof e.error === 'string' ? e.error : JSON.stringify(e),
            typeof e.details === 'string' ? e.details : undefined,
          ),
        );
    } else {
      entry.resolve(m.result);
    }
  }

  private shutdown(cause: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCause = cause;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      if (p.timer) clearTimeout(p.timer);
      p.reject(new ConnectionClosedError(p.method, { cause }));
    }
    this.emit('close', cause);
  }

  /** Sends a keepalive echo; the reply (id "echo") only counts as activity. */
  sendKeepalive(): void {
    if (!this.closed) this.write({ method: 'echo', params: [], id: 'echo' });
  }
}
