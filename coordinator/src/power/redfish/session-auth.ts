// Redfish authentication per BMC, as sushy's SessionOrBasicAuth: log in with a session
// (DSP0266: POST /redfish/v1/SessionService/Sessions {UserName, Password} -> 201 with X-Auth-Token
// and Location), send X-Auth-Token afterwards and DELETE <Location> to log out. When the login is
// refused (401/403: some BMCs allow no sessions to this user or none at all; 404/405/501: no
// SessionService) the BMC gets HTTP basic auth on every request instead, as sushy does. Only a
// refusal of basic auth as well means bad credentials (bmc-connection.ts); it also puts the state
// back to logged-out, so a corrected password gets a session again. Nothing is retried after a
// refusal. The token and password are never logged.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { RedfishBmcError, RedfishProtocolError } from '../errors.js';
import type { HttpMethod, HttpResponse } from './http-transport.js';
import { parseRedfishError } from './redfish-error-body.js';

export const SESSIONS_PATH = '/redfish/v1/SessionService/Sessions';
const NO_SESSION_SERVICE = new Set([404, 405, 501]);
const LOGIN_REFUSED = new Set([401, 403]);

export interface Credentials {
  readonly user: string;
  password(): Promise<string | null>;
}

/** An unauthenticated exchange with transient-failure retries (the connection's). */
export type Exchange = (
  request: { method: HttpMethod; path: string; headers: Record<string, string>; body?: string },
  signal: AbortSignal,
) => Promise<HttpResponse>;

type AuthState =
  | { readonly type: 'logged-out' }
  | { readonly type: 'session'; readonly user: string; readonly token: string; readonly path: string | null }
  | { readonly type: 'basic'; readonly why: 'no-session-service' | 'login-refused' };

export interface Authorization {
  readonly headers: Record<string, string>;
  /** The session token the headers carry, or null for basic auth. */
  readonly token: string | null;
}

export class SessionAuth {
  private state: AuthState = { type: 'logged-out' };
  private pendingLogin: Promise<void> | null = null;

  constructor(
    private readonly bmc: string,
    private readonly exchange: Exchange,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  get mode(): AuthState['type'] {
    return this.state.type;
  }

  async authorize(credentials: Credentials, signal: AbortSignal): Promise<Authorization> {
    if (this.state.type === 'session' && this.state.user !== credentials.user) await this.logout(signal);
    while (this.state.type === 'logged-out') {
      // Single flight: concurrent calls to one BMC share one login.
      this.pendingLogin ??= this.login(credentials, signal).finally(() => (this.pendingLogin = null));
      await this.pendingLogin;
    }
    if (this.state.type === 'session') return { headers: { 'X-Auth-Token': this.state.token }, token: this.state.token };
    const password = (await credentials.password()) ?? '';
    const basic = Buffer.from(`${credentials.user}:${password}`).toString('base64');
    return { headers: { Authorization: `Basic ${basic}` }, token: null };
  }

  /** A request with `token` got 401: the session expired; the next authorize logs in again. */
  expired(token: string): void {
    if (this.state.type === 'session' && this.state.token === token) this.transition({ type: 'logged-out' }, 'session expired (401)');
  }

  /** A basic-auth request was refused (401/403): the credentials are bad; the next call starts over. */
  refused(): void {
    if (this.state.type === 'basic') this.transition({ type: 'logged-out' }, 'basic auth refused');
  }

  /** Deletes the session on the BMC, if there is one. Never throws. */
  async logout(signal: AbortSignal): Promise<void> {
    const state = this.state;
    if (state.type !== 'session') return;
    this.transition({ type: 'logged-out' }, 'logout');
    if (state.path === null) return;
    try {
      const response = await this.exchange({ method: 'DELETE', path: state.path, headers: { 'X-Auth-Token': state.token } }, signal);
      this.logger.debug({ bmc: this.bmc, status: response.status }, 'redfish session deleted');
    } catch (error) {
      this.logger.warn({ bmc: this.bmc, err: error }, 'redfish session logout failed; the BMC will expire it');
    }
  }

  private async login(credentials: Credentials, signal: AbortSignal): Promise<void> {
    const started = this.clock.now();
    const password = (await credentials.password()) ?? '';
    const response = await this.exchange(
      {
        method: 'POST',
        path: SESSIONS_PATH,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ UserName: credentials.user, Password: password }),
      },
      signal,
    );
    const log = { bmc: this.bmc, user: credentials.user, status: response.status, durationMs: this.clock.now() - started };
    if (NO_SESSION_SERVICE.has(response.status)) {
      this.logger.info(log, 'redfish BMC has no SessionService: using basic auth');
      this.transition({ type: 'basic', why: 'no-session-service' }, 'no SessionService');
      return;
    }
    if (LOGIN_REFUSED.has(response.status)) {
      // sushy's SessionOrBasicAuth: a BMC may refuse sessions yet take the same credentials as
      // basic auth; whether they are bad is decided by the first request made with them.
      this.logger.warn(log, 'redfish session login refused: trying basic auth');
      this.transition({ type: 'basic', why: 'login-refused' }, `login refused (${response.status})`);
      return;
    }
    if (response.status < 200 || response.status > 299) {
      const error = parseRedfishError(response.text);
      throw new RedfishBmcError(this.bmc, `POST ${SESSIONS_PATH}`, response.status, error.code, error.messages);
    }
    const token = response.header('x-auth-token');
    if (!token) throw new RedfishProtocolError(this.bmc, `login answered ${response.status} without X-Auth-Token`);
    const path = sessionPath(response.header('location'));
    this.logger.info({ ...log, session: path }, 'redfish session opened');
    this.transition({ type: 'session', user: credentials.user, token, path }, 'login');
  }

  private transition(to: AuthState, why: string): void {
    this.logger.debug({ bmc: this.bmc, from: this.state.type, to: to.type, why }, `redfish auth ${this.state.type} -> ${to.type}`);
    this.state = to;
  }
}

/** Location may be absolute (https://bmc/redfish/...) or a path; we keep the path. */
function sessionPath(location: string | undefined): string | null {
  if (!location) return null;
  try {
    return new URL(location, 'http://bmc.invalid').pathname;
  } catch {
    return null;
  }
}
