// The HTTP(S) exchange under the Redfish client, on undici (Node's own fetch engine). Injected into
// the client so tests and other transports can stand in. TLS: a CA PEM to trust, the system CAs, or
// (labs only) no verification; undici's Agent takes these as `connect` options. undici is loaded
// on a transport's first request: a coordinator with no Redfish machine never loads it (about a
// tenth of a coordinator start's CPU).
import type { Agent } from 'undici';

type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;
const loadUndici = (): Promise<Undici> => (undici ??= import('undici'));

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** A response header (case-insensitive), or undefined. */
  header(name: string): string | undefined;
  readonly text: string;
}

export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** A failure below HTTP: no response arrived. */
export class HttpConnectionError extends Error {
  constructor(
    readonly code: string,
    /** TLS verification failed: retrying will not help. */
    readonly tls: boolean,
    /** The request certainly did not reach the peer (refused, DNS), so even a POST may be resent. */
    readonly unsent: boolean,
    options?: { cause?: unknown },
  ) {
    super(`connection failed: ${code}`, options);
    this.name = 'HttpConnectionError';
  }
}

export interface TlsOptions {
  /** PEM of the CA(s) to trust instead of the system CAs. */
  readonly ca: string | null;
  /** Skip certificate verification (labs only). */
  readonly insecure: boolean;
}

const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_CODE = /CERT|SIGNATURE|ERR_TLS|ERR_SSL|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

function errorCode(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function classifyConnectionError(error: unknown): HttpConnectionError {
  const code = errorCode(error) ?? (error instanceof Error ? error.name : 'unknown');
  return new HttpConnectionError(code, TLS_CODE.test(code), UNSENT_CODES.has(code), { cause: error });
}

export class UndiciTransport implements HttpTransport {
  /** Made on the first request. */
  private agent: Promise<Agent> | null = null;
  private closed = false;

  constructor(
    private readonly tls: TlsOptions,
    private readonly requestTimeoutMs: number,
  ) {}

  private dispatcher(): Promise<Agent> {
    this.agent ??= loadUndici().then(
      ({ Agent }) =>
        new Agent({
          connect: { ...(this.tls.ca !== null ? { ca: this.tls.ca } : {}), rejectUnauthorized: !this.tls.insecure },
          headersTimeout: this.requestTimeoutMs,
          bodyTimeout: this.requestTimeoutMs,
          // BMCs serve few connections; do not hold idle ones long.
          keepAliveTimeout: 5_000,
        }),
    );
    return this.agent;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    try {
      // What undici's Agent throws for a request after close().
      if (this.closed) throw Object.assign(new Error('the transport is closed'), { code: 'UND_ERR_CLOSED' });
      const [{ request }, dispatcher] = await Promise.all([loadUndici(), this.dispatcher()]);
      const response = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal: req.signal,
        dispatcher,
      });
      const text = await response.body.text();
      const headers = response.headers;
      return {
        status: response.statusCode,
        text,
        header: (name) => {
          const value = headers[name.toLowerCase()];
          return Array.isArray(value) ? value[0] : value;
        },
      };
    } catch (error) {
      if (req.signal.aborted) throw error;
      throw classifyConnectionError(error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.agent !== null) await (await this.agent).close();
  }
}
