// A REST client for LXD on undici, over the unix socket or HTTPS with a pinned server certificate.
// Every answer is LXD's envelope ({type: sync|async|error, ...}); it is checked and unwrapped here
// once, so callers get metadata or a typed error carrying LXD's message. Background operations are
// waited on through /1.0/operations/ID/wait.

import type { Dispatcher, Pool } from 'undici';
import { connectPinned, certificateFingerprint, describeEndpoint, type LxdEndpoint } from './endpoint.js';
import { LxdApiError, LxdOperationError, LxdProtocolError, LxdUnavailableError } from './errors.js';

// undici is loaded on a client's first request: an agent with no LXD (a smartNIC) never loads it
// (about a tenth of an agent start's CPU).
type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;
const loadUndici = (): Promise<Undici> => (undici ??= import('undici'));

export interface RequestOptions {
  /** Adds ?project=NAME. */
  project?: string;
  /** Further query parameters. */
  query?: Record<string, string>;
  body?: unknown;
  /** Bound on the whole exchange (default the client's). */
  timeoutMs?: number;
}

interface Envelope {
  type: 'sync' | 'async' | 'error';
  status_code: number;
  error_code: number;
  error: string;
  operation: string;
  metadata: unknown;
}

interface Operation {
  id: string;
  description: string;
  status: string;
  status_code: number;
  err: string;
  metadata: unknown;
}

/** One finished exchange with LXD, as handed to LxdClientOptions.onExchange. */
export interface LxdExchange {
  method: string;
  /** The path without its query. */
  path: string;
  /** The query as sent (project included). */
  query: string;
  /** LXD's HTTP status; 0 when LXD was not reached. */
  status: number;
  /** performance.now() when the request was handed to the connection pool. */
  startedAt: number;
  /** From then to the whole answer read. */
  ms: number;
}

export interface LxdClientOptions {
  /** Per-request bound (default 30 s). */
  timeoutMs?: number;
  /** Bound on waiting for one background operation (default 10 min). */
  operationTimeoutMs?: number;
  connections?: number;
  /** Called after every exchange (metrics, debug logs, tests counting requests); must not throw. */
  onExchange?: (e: LxdExchange) => void;
}

export class LxdClient {
  readonly label: string;
  /** Made on the first request. */
  private pool: Promise<Pool> | null = null;
  private closed = false;
  private readonly connections: number;
  private readonly fingerprint: string;
  private readonly timeoutMs: number;
  private readonly operationTimeoutMs: number;
  private readonly onExchange: ((e: LxdExchange) => void) | undefined;

  constructor(
    readonly endpoint: LxdEndpoint,
    options: LxdClientOptions = {},
  ) {
    this.label = describeEndpoint(endpoint);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.operationTimeoutMs = options.operationTimeoutMs ?? 600_000;
    this.onExchange = options.onExchange;
    this.connections = options.connections ?? 8;
    // Checked now: a bad server certificate fails here, not at the first request.
    this.fingerprint = endpoint.kind === 'unix' ? '' : certificateFingerprint(endpoint.serverCertPem);
  }

  private dispatcher(): Promise<Pool> {
    this.pool ??= loadUndici().then(({ Pool }) => {
      const endpoint = this.endpoint;
      const connections = this.connections;
      if (endpoint.kind === 'unix')
        return new Pool('http://lxd', { socketPath: endpoint.socketPath, connections, keepAliveTimeout: 10_000 });
      const url = new URL(endpoint.url);
      const fingerprint = this.fingerprint;
      const port = Number(url.port || 8443);
      return new Pool(url.origin, {
        connections,
        keepAliveTimeout: 10_000,
        connect: (_opts, cb) => {
          connectPinned({ host: url.hostname, port, certPem: endpoint.certPem, keyPem: endpoint.keyPem, fingerprint }, (err, socket) =>
            err || !socket ? cb(err ?? new Error('no socket'), null) : cb(null, socket),
          );
        },
      });
    });
    return this.pool;
  }

  /** GET and return the metadata of a sync answer. */
  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.call<T>('GET', path, options);
  }

  /**
   * Any method: a sync answer gives its metadata; an async one is waited on to the end and gives
   * the operation's metadata, or throws LxdOperationError with LXD's reason.
   */
  async call<T>(method: Dispatcher.HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const env = await this.request(method, path, options);
    if (env.type === 'sync') return env.metadata as T;
    const id = operationId(env, method, path);
    return (await this.waitOperation(id, options.project)) as T;
  }

  /** Waits for operation id to finish; the server holds each wait for at most 30 s, then it is asked again. */
  async waitOperation(id: string, project?: string): Promise<unknown> {
    const deadline = Date.now() + this.operationTimeoutMs;
    for (;;) {
      const left = Math.max(1, Math.min(30, Math.ceil((deadline - Date.now()) / 1000)));
      const env = await this.request('GET', `/1.0/operations/${encodeURIComponent(id)}/wait`, {
        project,
        query: { timeout: String(left) },
        timeoutMs: (left + 15) * 1000,
      });
      const op = asOperation(env.metadata, `/1.0/operations/${id}/wait`);
      if (op.status_code >= 200 && op.status_code < 300) return op.metadata;
      if (op.status_code >= 400) throw new LxdOperationError(id, op.description, op.err || op.status);
      if (Date.now() >= deadline)
        throw new LxdUnavailableError(
          this.label,
          `operation ${id} (${op.description}) still ${op.status} after ${this.operationTimeoutMs} ms`,
        );
    }
  }

  /** One exchange: the checked envelope, or a typed error. */
  async request(method: Dispatcher.HttpMethod, path: string, options: RequestOptions = {}): Promise<Envelope> {
    const query = new URLSearchParams(options.query);
    if (options.project !== undefined) query.set('project', options.project);
    const qs = query.toString();
    const full = qs ? `${path}?${qs}` : path;
    const timeout = options.timeoutMs ?? this.timeoutMs;
    const started = performance.now();
    let res: Dispatcher.ResponseData | undefined;
    let text: string;
    try {
      // What undici's Pool throws for a request after close().
      if (this.closed) throw Object.assign(new Error('The client is closed'), { code: 'UND_ERR_CLOSED' });
      const pool = await this.dispatcher();
      res = await pool.request({
        method,
        path: full,
        headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      text = await res.body.text();
    } catch (err) {
      this.onExchange?.({ method, path, query: qs, status: res?.statusCode ?? 0, startedAt: started, ms: performance.now() - started });
      const e = err as NodeJS.ErrnoException;
      throw new LxdUnavailableError(this.label, e.code ? `${e.code} ${e.message}` : e.message, { cause: err });
    }
    this.onExchange?.({ method, path, query: qs, status: res.statusCode, startedAt: started, ms: performance.now() - started });
    return parseEnvelope(method, path, res.statusCode, text);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pool !== null) await (await this.pool).close().catch(() => undefined);
  }
}

/** Checks LXD's response envelope (REST API "Return values"); an error envelope becomes LxdApiError. */
export function parseEnvelope(method: string, path: string, httpStatus: number, text: string): Envelope {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LxdProtocolError(method, path, `HTTP ${httpStatus} with a body that is not JSON (${JSON.stringify(text.slice(0, 80))})`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new LxdProtocolError(method, path, 'the body is not a JSON object');
  const b = body as Record<string, unknown>;
  if (b.type === 'error') {
    const code = typeof b.error_code === 'number' && b.error_code > 0 ? b.error_code : httpStatus;
    throw new LxdApiError(method, path, code, typeof b.error === 'string' && b.error ? b.error : `HTTP ${httpStatus}`);
  }
  if (b.type !== 'sync' && b.type !== 'async')
    throw new LxdProtocolError(method, path, `type is ${JSON.stringify(b.type)}, not sync, async or error`);
  if (httpStatus >= 400)
    throw new LxdApiError(method, path, httpStatus, typeof b.error === 'string' && b.error ? b.error : `HTTP ${httpStatus}`);
  return {
    type: b.type,
    status_code: typeof b.status_code === 'number' ? b.status_code : httpStatus,
    error_code: 0,
    error: '',
    operation: typeof b.operation === 'string' ? b.operation : '',
    metadata: b.metadata ?? null,
  };
}

function operationId(env: Envelope, method: string, path: string): string {
  const meta = env.metadata as { id?: unknown } | null;
  if (meta && typeof meta.id === 'string' && meta.id) return meta.id;
  const m = /\/1\.0\/operations\/([^/?]+)/.exec(env.operation);
  if (m?.[1]) return decodeURIComponent(m[1]);
  throw new LxdProtocolError(method, path, 'an async answer without an operation id');
}

function asOperation(meta: unknown, path: string): Operation {
  const m = meta as Partial<Operation> | null;
  if (!m || typeof m !== 'object' || typeof m.status_code !== 'number')
    throw new LxdProtocolError('GET', path, 'the operation has no status_code');
  return {
    id: m.id ?? '',
    description: m.description ?? '',
    status: m.status ?? '',
    status_code: m.status_code,
    err: m.err ?? '',
    metadata: m.metadata ?? null,
  };
}
