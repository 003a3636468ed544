// The console's HTTP routes (Hono), as agreed with the pages (console contract):
//   POST   /api/session             {"token"} -> the user, a CSRF token, the expiry; sets the cookie
//   GET    /api/session             the same for the cookie's session, or 401
//   DELETE /api/session             signs out (204)
//   POST   /api/rpc/<Service>/<Method>  a unary API call in proto3 JSON (rpc-dispatch.ts)
//   GET    /api/events[?since=SEQ]  the event log as Server-Sent Events (event-stream.ts)
//   GET    anything else            the pages (static-files.ts)
// Every /api answer is JSON; an error is {"code": "<gRPC status name>", "message": "..."} with the
// HTTP status that code maps to. Every non-GET /api request but sign-in carries the session's
// CSRF token in X-CSRF-Token: the cookie is SameSite=Strict already, and the header is what a
// page of another origin cannot send (OWASP's synchronizer-token pattern).
import * as grpc from '@grpc/grpc-js';
import { Hono, type Context, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Logger } from '../logger.js';
import { ConsoleSessions, type ConsoleSession } from './console-sessions.js';
import { openEventStream, type EventStreamSource } from './event-stream.js';
import { statusName, type RpcDispatcher } from './rpc-dispatch.js';
import { SECURITY_HEADERS, type StaticFiles } from './static-files.js';

export const SESSION_COOKIE = 'mooring_session';
export const CSRF_HEADER = 'X-CSRF-Token';
/** The largest JSON body of an API call: the largest request a method accepts (256 KiB) with JSON's overhead. */
export const MAX_RPC_BODY = 1024 * 1024;
/** The largest sign-in body: a token in a small JSON object. */
const MAX_SESSION_BODY = 16 * 1024;

/** HTTP status per gRPC status, as Google's APIs map them (google/rpc/code.proto). */
const HTTP_STATUS: Readonly<Partial<Record<grpc.status, number>>> = {
  [grpc.status.OK]: 200,
  [grpc.status.CANCELLED]: 499,
  [grpc.status.UNKNOWN]: 500,
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.DEADLINE_EXCEEDED]: 504,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.ALREADY_EXISTS]: 409,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.RESOURCE_EXHAUSTED]: 429,
  [grpc.status.FAILED_PRECONDITION]: 400,
  [grpc.status.ABORTED]: 409,
  [grpc.status.OUT_OF_RANGE]: 400,
  [grpc.status.UNIMPLEMENTED]: 501,
  [grpc.status.INTERNAL]: 500,
  [grpc.status.UNAVAILABLE]: 503,
  [grpc.status.DATA_LOSS]: 500,
  [grpc.status.UNAUTHENTICATED]: 401,
};

export interface ConsoleRouteDeps {
  readonly sessions: ConsoleSessions;
  readonly rpc: RpcDispatcher;
  /** WatchEvents as gRPC serves it; null when the coordinator serves no EventService. */
  readonly events: EventStreamSource | null;
  readonly files: StaticFiles;
  readonly log: Logger;
}

type Env = { Variables: { session: ConsoleSession } };

function problem(c: Context<Env>, code: grpc.status, message: string, httpStatus?: number): Response {
  const status = httpStatus ?? HTTP_STATUS[code] ?? 500;
  return c.json({ code: statusName(code), message }, status as 400);
}

function noStore(c: Context<Env>): void {
  c.header('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
}

/** A JSON body, or why it is none: the error names what was wrong. */
async function readJson(c: Context<Env>): Promise<{ type: 'ok'; value: unknown } | { type: 'bad'; message: string }> {
  const text = await c.req.text();
  if (text.trim() === '') return { type: 'ok', value: {} };
  const contentType = c.req.header('Content-Type') ?? '';
  if (!/^application\/json\b/i.test(contentType))
    return { type: 'bad', message: `expected Content-Type application/json, got ${contentType || 'none'}` };
  try {
    return { type: 'ok', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { type: 'bad', message: `malformed JSON body: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function consoleRoutes(deps: ConsoleRouteDeps): Hono<Env> {
  const { sessions, rpc, files, log } = deps;
  const app = new Hono<Env>();
  const tooLarge = (limit: number) => (c: Context<Env>) =>
    problem(c, grpc.status.RESOURCE_EXHAUSTED, `request body larger than ${limit} bytes`, 413);

  app.use('/api/*', async (c: Context<Env>, next: Next) => {
    noStore(c);
    await next();
  });

  /** The user and what the page needs to act as it, for the session's token; ends a session its token no longer admits. */
  const sessionBody = async (c: Context<Env>, session: ConsoleSession): Promise<Response> => {
    const who = await rpc.call('TenancyService', 'WhoAmI', session.token, {}, c.req.raw.signal);
    if (who.type === 'failed') {
      if (who.code === grpc.status.UNAUTHENTICATED) sessions.end(session.id, who.message);
      return problem(c, who.code, who.message);
    }
    return c.json({ user: who.body, csrfToken: session.csrfToken, expiresAt: new Date(session.expiresAt).toISOString() });
  };

  app.post('/api/session', bodyLimit({ maxSize: MAX_SESSION_BODY, onError: tooLarge(MAX_SESSION_BODY) }), async (c) => {
    const body = await readJson(c);
    if (body.type === 'bad') return problem(c, grpc.status.INVALID_ARGUMENT, body.message);
    const token = (body.value as { token?: unknown } | null)?.token;
    if (typeof token !== 'string' || token.trim() === '')
      return problem(c, grpc.status.INVALID_ARGUMENT, 'token: expected the bearer token as a string, e.g. {"token": "mr_..."}');
    const who = await rpc.call('TenancyService', 'WhoAmI', token.trim(), {}, c.req.raw.signal);
    if (who.type === 'failed') return problem(c, who.code, who.message);
    let session: ConsoleSession;
    try {
      session = sessions.create(token.trim(), String(who.body['name']));
    } catch {
      return problem(c, grpc.status.UNAUTHENTICATED, 'token ended while signing in');
    }
    // A session replaced by a new sign-in in the same browser is over.
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous && previous !== session.id) sessions.end(previous, 'signed in again');
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: sessions.maxAgeSeconds(session),
    });
    return c.json({ user: who.body, csrfToken: session.csrfToken, expiresAt: new Date(session.expiresAt).toISOString() });
  });

  // Everything else under /api needs a session, and a write its CSRF token.
  app.use('/api/*', async (c: Context<Env>, next: Next) => {
    const session = sessions.get(getCookie(c, SESSION_COOKIE));
    if (!session) return problem(c, grpc.status.UNAUTHENTICATED, 'not signed in (no session, or it ended): sign in with a token');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !ConsoleSessions.csrfMatches(session, c.req.header(CSRF_HEADER))) {
      log.warn({ method: c.req.method, path: c.req.path }, 'console request refused: missing or wrong CSRF token');
      return problem(c, grpc.status.PERMISSION_DENIED, 'missing or wrong CSRF token');
    }
    c.set('session', session);
    await next();
  });

  app.get('/api/session', (c) => sessionBody(c, c.get('session')));

  app.delete('/api/session', (c) => {
    sessions.end(c.get('session').id, 'signed out');
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
    return c.body(null, 204);
  });

  app.post('/api/rpc/:service/:method', bodyLimit({ maxSize: MAX_RPC_BODY, onError: tooLarge(MAX_RPC_BODY) }), async (c) => {
    const session = c.get('session');
    const body = await readJson(c);
    if (body.type === 'bad') return problem(c, grpc.status.INVALID_ARGUMENT, body.message);
    const outcome = await rpc.call(c.req.param('service'), c.req.param('method'), session.token, body.value, c.req.raw.signal);
    if (outcome.type === 'ok') return c.json(outcome.body);
    // The token no longer admits anyone (revoked, expired, its user deleted): the session is over too.
    if (outcome.code === grpc.status.UNAUTHENTICATED) sessions.end(session.id, outcome.message);
    return problem(c, outcome.code, outcome.message, outcome.code === grpc.status.UNIMPLEMENTED ? 404 : undefined);
  });

  app.get('/api/events', async (c) => {
    const source = deps.events;
    if (!source) return problem(c, grpc.status.UNIMPLEMENTED, 'this coordinator serves no event log');
    const session = c.get('session');
    // EventSource sends the last id it saw on reconnection; ?since= starts from a cursor (0: the
    // whole log); with neither, the stream starts at the present: a page that just loaded its data
    // wants what changes from now on, not the fleet's history.
    const resuming = c.req.header('Last-Event-ID')?.trim();
    const cursor = resuming ?? c.req.query('since')?.trim();
    const listEvents = (sinceSeq: number, limit: number): ReturnType<typeof rpc.call> =>
      rpc.call('EventService', 'ListEvents', session.token, { since_seq: String(sinceSeq), limit }, c.req.raw.signal);
    const refused = (code: grpc.status, message: string): Response => {
      if (code === grpc.status.UNAUTHENTICATED) sessions.end(session.id, message);
      return problem(c, code, message);
    };
    let sinceSeq: number;
    let resync: string | undefined;
    if (cursor === undefined) {
      const now = await listEvents(Number.MAX_SAFE_INTEGER, 1);
      if (now.type === 'failed') return refused(now.code, now.message);
      sinceSeq = Number(now.body['last_seq']);
    } else if (/^\d{1,15}$/.test(cursor)) sinceSeq = Number(cursor);
    else return problem(c, grpc.status.INVALID_ARGUMENT, `since: expected an event seq (a whole number), got ${JSON.stringify(cursor)}`);
    if (resuming !== undefined && sinceSeq > 0) {
      // A browser reconnecting after the last event it saw: if the retention has pruned past it
      // since, it can never catch up (each reconnect would fail alike), so the stream starts at the
      // present and first tells the page to reload what it shows.
      const probe = await listEvents(sinceSeq, 1);
      if (probe.type === 'failed' && probe.code === grpc.status.OUT_OF_RANGE) {
        const now = await listEvents(Number.MAX_SAFE_INTEGER, 1);
        if (now.type === 'failed') return refused(now.code, now.message);
        resync = probe.message;
        sinceSeq = Number(now.body['last_seq']);
      }
    }
    const body = openEventStream(source, { token: session.token, sinceSeq, ended: session.ended, ...(resync ? { resync } : {}) });
    return new Response(body, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      },
    });
  });

  app.all('/api/*', (c) => problem(c, grpc.status.NOT_FOUND, `no console API at ${c.req.method} ${c.req.path}`));

  app.on(['GET', 'HEAD'], '*', (c) => files.serve(c.req.path, c.req.method === 'HEAD' ? 'HEAD' : 'GET', c.req.header('If-None-Match')));
  app.all('*', (c) => {
    c.header('Allow', 'GET, HEAD');
    return c.text(`method ${c.req.method} not allowed here\n`, 405);
  });

  app.onError((error, c) => {
    log.error({ err: error, path: c.req.path }, 'console request failed');
    return problem(c, grpc.status.INTERNAL, 'internal error (logged by the coordinator)');
  });
  return app;
}
