// The console's one way to the coordinator: the JSON endpoints of the console contract. Every call
// carries the session's CSRF token (reads are POSTs of a proto request body too), and every
// failure becomes an ApiError holding the API's own code and message, which the pages show as is.

/** A failed call: the HTTP status, the gRPC status name the API gave and its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Role = 'ROLE_ADMIN' | 'ROLE_MEMBER' | 'ROLE_OBSERVER' | 'ROLE_UNSPECIFIED';

export interface SessionUser {
  readonly name: string;
  readonly role: Role;
  readonly groups?: readonly string[];
}

export interface Session {
  readonly user: SessionUser;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** The services /api/rpc dispatches to (proto/mooring/v1/*.proto). */
export type ServiceName =
  | 'MachineService'
  | 'TenancyService'
  | 'AgentAdminService'
  | 'VmHostService'
  | 'PoolService'
  | 'DeploymentService'
  | 'EventService'
  | 'SriovAdminService'
  | 'NetworkService'
  | 'PortService';

async function readError(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.message === 'string')
      return new ApiError(response.status, typeof body.code === 'string' ? body.code : 'UNKNOWN', body.message);
  } catch {
    // Not the API's JSON (a proxy's page, a dropped connection): say what came back.
  }
  return new ApiError(response.status, 'UNKNOWN', `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

export class ApiClient {
  private csrfToken = '';
  /** Called once a call learns the session is gone (401), so the shell can ask for a token again. */
  onSessionEnded: (error: ApiError) => void = () => undefined;

  /** The current session, or null when there is none (401). */
  async currentSession(): Promise<Session | null> {
    const response = await fetch('/api/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (response.status === 401) return null;
    if (!response.ok) throw await readError(response);
    return this.keep((await response.json()) as Session);
  }

  /** Exchanges a bearer token for a session cookie; the token itself is not kept. */
  async signIn(token: string): Promise<Session> {
    const response = await fetch('/api/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token }),
    });
    if (!response.ok) throw await readError(response);
    return this.keep((await response.json()) as Session);
  }

  async signOut(): Promise<void> {
    const response = await fetch('/api/session', {
      method: 'DELETE',
      credentials: 'same-origin',
      headers: { 'x-csrf-token': this.csrfToken },
    });
    this.csrfToken = '';
    if (!response.ok && response.status !== 401) throw await readError(response);
  }

  /** One unary call: `request` in proto3 JSON (snake_case), the reply likewise. */
  async call<T>(service: ServiceName, method: string, request: object = {}): Promise<T> {
    const response = await fetch(`/api/rpc/${service}/${method}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': this.csrfToken },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      const error = await readError(response);
      if (response.status === 401) this.onSessionEnded(error);
      throw error;
    }
    return (await response.json()) as T;
  }

  private keep(session: Session): Session {
    this.csrfToken = session.csrfToken;
    return session;
  }
}

/** The message to show for any thrown value. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
