// One BMC as the driver sees it: authorised requests with Redfish headers, transient failures
// retried with capped backoff until the caller's signal fires, HTTP errors turned into typed
// errors once, the system path (discovered when the address does not name it), and the session
// logged out after an idle spell.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import {
  RedfishAuthError,
  RedfishBmcError,
  RedfishNotFoundError,
  RedfishProtocolError,
  RedfishTlsError,
  RedfishUnavailableError,
} from '../errors.js';
import { HttpConnectionError, type HttpMethod, type HttpResponse, type HttpTransport } from './http-transport.js';
import { parseRedfishError } from './redfish-error-body.js';
import { SessionAuth, type Credentials } from './session-auth.js';
import { Backoff } from '../../../../proto/shared/backoff.js';

export interface ConnectionOptions {
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly requestTimeoutMs: number;
  /** Log the session out after this long without a request. */
  readonly idleLogoutMs: number;
  /** Times requests for the logs. */
  readonly clock: Clock;
}

export interface CallContext {
  readonly credentials: Credentials;
  readonly signal: AbortSignal;
}

/**
 * idempotent: GET, DELETE and PATCH with If-Match are resent on 5xx and connection failures.
 * unsent-only: POSTs (Reset, login) are resent only when the BMC cannot have acted: connection
 * refused, 503 or 429; a ForceRestart sent twice would reboot twice.
 */
export type RetryPolicy = 'idempotent' | 'unsent-only';

export interface CallOptions {
  readonly body?: unknown;
  readonly ifMatch?: string | null;
  /** Non-2xx statuses handed back to the caller instead of thrown (412 for ETag handling). */
  readonly pass?: readonly number[];
  readonly policy?: RetryPolicy;
}

const LOGOUT_TIMEOUT_MS = 5_000;

const BASE_HEADERS = {
  Accept: 'application/json',
  'OData-Version': '4.0',
  // sushy does the same: with compression some BMCs hand out weak ETags.
  'Accept-Encoding': 'identity',
};

function transientStatus(status: number, policy: RetryPolicy): boolean {
  if (status === 503 || status === 429) return true;
  return policy === 'idempotent' && (status === 500 || status === 502 || status === 504);
}

export class BmcConnection {
  readonly auth: SessionAuth;
  private discoveredSystem: string | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private inflight = 0;

  constructor(
    /** The BMC's origin (scheme://host[:port]). */
    readonly bmc: string,
    private readonly transport: HttpTransport,
    private readonly options: ConnectionOptions,
    private readonly logger: Logger,
  ) {
    this.auth = new SessionAuth(bmc, (request, signal) => this.exchange(request, signal, 'unsent-only'), logger, options.clock);
  }

  get clock(): Clock {
    return this.options.clock;
  }

  /** An authorised request: 2xx and `pass` statuses are returned, anything else thrown typed. */
  async call(method: HttpMethod, path: string, context: CallContext, options: CallOptions = {}): Promise<HttpResponse> {
    this.cancelIdle();
    this.inflight++;
    try {
      let relogin = true;
      for (;;) {
        const authorization = await this.auth.authorize(context.credentials, context.signal);
        const headers: Record<string, string> = { ...authorization.headers };
        if (options.ifMatch) headers['If-Match'] = options.ifMatch;
        let body: string | undefined;
        if (options.body !== undefined) {
          headers['Content-Type'] = 'application/json';
          body = JSON.stringify(options.body);
        }
        const response = await this.exchange({ method, path, headers, body }, context.signal, options.policy ?? 'idempotent');
        if (response.status === 401 && authorization.token !== null && relogin) {
          // DSP0266: a session the BMC timed out answers 401; log in again, once.
          this.auth.expired(authorization.token);
          relogin = false;
          continue;
        }
        if (response.status === 401 || response.status === 403) {
          if (authorization.token === null) this.auth.refused();
          throw new RedfishAuthError(this.bmc, context.credentials.user, response.status);
        }
        if ((response.status >= 200 && response.status <= 299) || options.pass?.includes(response.status)) return response;
        if (response.status === 404) throw new RedfishNotFoundError(this.bmc, path);
        const error = parseRedfishError(response.text);
        throw new RedfishBmcError(this.bmc, `${method} ${path}`, response.status, error.code, error.messages);
      }
    } finally {
      this.inflight--;
      this.scheduleIdle();
    }
  }

  async getJson(path: string, context: CallContext): Promise<{ body: unknown; etag: string | null }> {
    const response = await this.call('GET', path, context);
    return { body: this.json(response, `GET ${path}`), etag: response.header('etag') ?? null };
  }

  json(response: HttpResponse, request: string): unknown {
    try {
      return JSON.parse(response.text) as unknown;
    } catch {
      throw new RedfishProtocolError(this.bmc, `${request} answered ${response.status} with a body that is not JSON`);
    }
  }

  /** The ComputerSystem to drive: `named` by the address, or the one member of /redfish/v1/Systems. */
  async system(context: CallContext, named: string | null): Promise<string> {
    if (named !== null) return named;
    if (this.discoveredSystem !== null) return this.discoveredSystem;
    const { body } = await this.getJson('/redfish/v1/Systems', context);
    const members = (body as { Members?: unknown }).Members;
    const paths = Array.isArray(members) ? members.map((member) => (member as { '@odata.id'?: unknown })['@odata.id']) : [];
    if (paths.length !== 1 || typeof paths[0] !== 'string') {
      throw new RedfishProtocolError(
        this.bmc,
        `/redfish/v1/Systems has ${paths.length} members; name one in the power address (${this.bmc}/redfish/v1/Systems/<id>)`,
      );
    }
    this.logger.info({ bmc: this.bmc, system: paths[0] }, 'redfish system discovered');
    this.discoveredSystem = paths[0];
    return paths[0];
  }

  async close(): Promise<void> {
    this.cancelIdle();
    // Bounded tightly: an unreachable BMC must not hold a shutdown up; it expires the session itself.
    await this.auth.logout(AbortSignal.timeout(Math.min(this.options.requestTimeoutMs, LOGOUT_TIMEOUT_MS)));
  }

  private async exchange(
    request: { method: HttpMethod; path: string; headers: Record<string, string>; body?: string | undefined },
    signal: AbortSignal,
    policy: RetryPolicy,
  ): Promise<HttpResponse> {
    const what = `${request.method} ${request.path}`;
    const backoff = new Backoff({ initialMs: this.options.retryInitialMs, maxMs: this.options.retryMaxMs });
    let attempts = 0;
    let problem: string | null = null;
    const unavailable = (cause?: unknown): RedfishUnavailableError =>
      new RedfishUnavailableError(this.bmc, what, attempts, problem, { cause: cause ?? signal.reason });
    for (;;) {
      if (signal.aborted) throw unavailable();
      attempts++;
      const started = this.options.clock.now();
      const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(this.options.requestTimeoutMs)]);
      try {
        const response = await this.transport.send({
          ...request,
          headers: { ...BASE_HEADERS, ...request.headers },
          url: `${this.bmc}${request.path}`,
          signal: attemptSignal,
        });
        this.logger.debug(
          {
            bmc: this.bmc,
            method: request.method,
            path: request.path,
            status: response.status,
            durationMs: this.options.clock.now() - started,
          },
          'redfish request',
        );
        if (!transientStatus(response.status, policy)) return response;
        problem = `HTTP ${response.status}`;
      } catch (error) {
        if (signal.aborted) throw unavailable();
        if (error instanceof HttpConnectionError) {
          if (error.tls) throw new RedfishTlsError(this.bmc, error.code, { cause: error });
          problem = error.code;
          if (policy === 'unsent-only' && !error.unsent) throw unavailable(error);
        } else if (attemptSignal.aborted) {
          problem = `no answer within ${this.options.requestTimeoutMs} ms`;
          if (policy === 'unsent-only') throw unavailable(error);
        } else {
          throw error;
        }
      }
      const retry = backoff.wait(signal);
      this.logger.warn(
        { bmc: this.bmc, method: request.method, path: request.path, attempt: attempts, problem, delayMs: retry.delayMs },
        'redfish request failed; retrying',
      );
      if (!(await retry.elapsed)) throw unavailable();
    }
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private scheduleIdle(): void {
    this.cancelIdle();
    if (this.auth.mode !== 'session' || this.inflight > 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      void this.close();
    }, this.options.idleLogoutMs);
    this.idleTimer.unref();
  }
}
