// The LXD REST client against a scripted HTTP server on a unix socket: LXD's envelope checked once,
// error envelopes and failed operations turned into typed errors carrying LXD's message, and a
// malformed answer reported clearly instead of crashing a caller. (A scripted peer is used only for
// answers a real LXD never gives; everything else is tested against the real daemon.)
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LxdApiError, LxdOperationError, LxdProtocolError, LxdUnavailableError } from '../../../agent/src/lxd/errors.js';
import { LxdClient } from '../../../agent/src/lxd/rest-client.js';
import { resolveLxdSocket } from '../../../agent/src/lxd/endpoint.js';

type Script = (req: http.IncomingMessage) => { status?: number; body: string };
const routes = new Map<string, Script>();
const seen: string[] = [];
let server: http.Server;
let dir: string;
let client: LxdClient;

const json = (v: unknown, status = 200) => ({ status, body: JSON.stringify(v) });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-lxd-rest-'));
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const route = routes.get(`${req.method} ${req.url?.split('?')[0]}`);
    const out = route ? route(req) : json({ type: 'error', error_code: 404, error: 'not found' }, 404);
    res.writeHead(out.status ?? 200, { 'content-type': 'application/json' }).end(out.body);
  });
  await new Promise<void>((resolve) => server.listen(path.join(dir, 'unix.socket'), resolve));
  client = new LxdClient({ kind: 'unix', socketPath: path.join(dir, 'unix.socket') }, { timeoutMs: 5000 });
});

afterAll(async () => {
  await client?.close();
  await new Promise((r) => server?.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe('LXD REST client', () => {
  it('unwraps sync answers and adds ?project= to every scoped call', async () => {
    routes.set('GET /1.0/instances', () => json({ type: 'sync', status_code: 200, metadata: ['/1.0/instances/a'] }));
    expect(await client.get('/1.0/instances', { project: 'p1', query: { recursion: '1' } })).toEqual(['/1.0/instances/a']);
    expect(seen.at(-1)).toBe('GET /1.0/instances?recursion=1&project=p1');
  });

  it('turns an error envelope into LxdApiError with LXD message and status', async () => {
    routes.set('DELETE /1.0/instances/x', () => json({ type: 'error', error_code: 400, error: 'Instance is running' }, 400));
    const err = await client.call('DELETE', '/1.0/instances/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LxdApiError);
    expect(err).toMatchObject({ status: 400, lxdMessage: 'Instance is running' });
    expect((err as Error).message).toBe('LXD refused DELETE /1.0/instances/x (400): Instance is running');
  });

  it('waits on async operations through /1.0/operations/ID/wait and reports a failure with LXD reason', async () => {
    routes.set('POST /1.0/instances', () =>
      json({ type: 'async', status_code: 100, operation: '/1.0/operations/op-1', metadata: { id: 'op-1' } }, 202),
    );
    routes.set('GET /1.0/operations/op-1/wait', () =>
      json({
        type: 'sync',
        metadata: {
          id: 'op-1',
          description: 'Creating instance',
          status: 'Failure',
          status_code: 400,
          err: 'vhost_vsock kernel module not loaded',
        },
      }),
    );
    const err = await client.call('POST', '/1.0/instances', { project: 'p', body: { name: 'v' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LxdOperationError);
    expect((err as LxdOperationError).lxdMessage).toBe('vhost_vsock kernel module not loaded');
    expect(seen.at(-1)).toMatch(/^GET \/1\.0\/operations\/op-1\/wait\?timeout=\d+&project=p$/);
    routes.set('GET /1.0/operations/op-1/wait', () =>
      json({ type: 'sync', metadata: { id: 'op-1', status: 'Success', status_code: 200, metadata: { done: true } } }),
    );
    expect(await client.call('POST', '/1.0/instances', { body: {} })).toEqual({ done: true });
  });

  it('reports a malformed answer as a protocol error naming the request and what was wrong', async () => {
    const cases: [string, RegExp][] = [
      [
        '<html>502 Bad Gateway</html>',
        /^malformed LXD response to GET \/1\.0\/resources: HTTP 200 with a body that is not JSON \("<html>502/,
      ],
      ['[1,2]', /the body is not a JSON object/],
      ['{"type":"weird","metadata":{}}', /type is "weird", not sync, async or error/],
    ];
    for (const [body, message] of cases) {
      routes.set('GET /1.0/resources', () => ({ body }));
      const err = await client.get('/1.0/resources').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LxdProtocolError);
      expect((err as Error).message).toMatch(message);
    }
    routes.set('POST /1.0/projects', () => json({ type: 'async', status_code: 100, operation: '', metadata: null }, 202));
    await expect(client.call('POST', '/1.0/projects', { body: {} })).rejects.toThrow(/an async answer without an operation id/);
  });

  it('reports a missing socket as LXD unavailable, naming the endpoint', async () => {
    const gone = new LxdClient({ kind: 'unix', socketPath: path.join(dir, 'nothing.socket') });
    const err = await gone.get('/1.0').catch((e: unknown) => e);
    await gone.close();
    expect(err).toBeInstanceOf(LxdUnavailableError);
    expect((err as Error).message).toMatch(/^LXD at unix:.*nothing\.socket is unavailable: ENOENT/);
  });

  it('finds the socket the way LXD client does', () => {
    const none = () => false;
    expect(resolveLxdSocket({ LXD_SOCKET: '/s', LXD_DIR: '/d' }, none)).toBe('/s');
    expect(resolveLxdSocket({ LXD_DIR: '/d' }, none)).toBe('/d/unix.socket');
    expect(resolveLxdSocket({}, (p) => p.includes('snap'))).toBe('/var/snap/lxd/common/lxd/unix.socket');
    expect(resolveLxdSocket({}, none)).toBe('/var/lib/lxd/unix.socket');
  });
});
