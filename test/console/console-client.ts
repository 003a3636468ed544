// A client of the web console's JSON API for tests: HTTPS with the coordinator's CA (undici), the
// session cookie kept as a browser would, the CSRF header sent unless told not to, and a reader of
// the Server-Sent Events stream.
import { Agent, fetch, type Response } from 'undici';

export interface SseFrame {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

export interface ConsoleReply {
  readonly status: number;
  readonly headers: Response['headers'];
  readonly body: Record<string, unknown>;
}

export class ConsoleClient {
  readonly agent: Agent;
  cookie: string | null = null;
  csrfToken: string | null = null;

  constructor(
    readonly baseUrl: string,
    caPem: string,
  ) {
    this.agent = new Agent({ connect: { ca: caPem } });
  }

  /** POST /api/session; keeps the cookie and the CSRF token on success. */
  async signIn(token: string): Promise<ConsoleReply> {
    const reply = await this.request('POST', '/api/session', { token }, { csrf: false });
    const setCookie = reply.headers.get('set-cookie');
    if (reply.status === 200 && setCookie) {
      this.cookie = setCookie.split(';')[0] ?? null;
      this.csrfToken = String(reply.body['csrfToken']);
    }
    return reply;
  }

  rpc(service: string, method: string, body: unknown = {}, options: { csrf?: boolean } = {}): Promise<ConsoleReply> {
    return this.request('POST', `/api/rpc/${service}/${method}`, body, options);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; rawBody?: string; contentType?: string } = {},
  ): Promise<ConsoleReply> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers['cookie'] = this.cookie;
    if (options.csrf !== false && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const text = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (text !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const res = await fetch(new URL(path, this.baseUrl), { method, headers, body: text, dispatcher: this.agent });
    const raw = await res.text();
    return { status: res.status, headers: res.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
  }

  /** Opens GET /api/events; frames arrive through next(). */
  async events(options: { since?: number; lastEventId?: string } = {}): Promise<EventReader> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.cookie) headers['cookie'] = this.cookie;
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const query = options.since === undefined ? '' : `?since=${options.since}`;
    const controller = new AbortController();
    const res = await fetch(new URL(`/api/events${query}`, this.baseUrl), { headers, dispatcher: this.agent, signal: controller.signal });
    return new EventReader(res, controller);
  }

  /** Ends the client's connections, open event streams included. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

export class EventReader {
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null;
  private readonly decoder = new TextDecoder();
  /** True once the server ended the body. */
  ended = false;

  constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {
    this.reader = response.body ? (response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>) : null;
  }

  /** The next frame with data (comments and retry-only frames skipped); null once the stream ended. */
  async next(): Promise<SseFrame | null> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const frame = parseFrame(block);
        if (frame) return frame;
        continue;
      }
      if (!this.reader || this.ended) return null;
      const { done, value } = await this.reader.read();
      if (done) {
        this.ended = true;
        return null;
      }
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** Frames until one satisfies `want` (returned), or the stream ends (null). */
  async until(want: (frame: SseFrame) => boolean): Promise<SseFrame | null> {
    for (;;) {
      const frame = await this.next();
      if (frame === null || want(frame)) return frame;
    }
  }

  close(): void {
    this.controller.abort();
  }
}

function parseFrame(block: string): SseFrame | null {
  let event = 'message';
  let id: string | null = null;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { event, id, data: data.join('\n') } : null;
}
