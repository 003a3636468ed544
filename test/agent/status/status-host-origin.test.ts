// The Host and Origin checks of a real status server on a loopback port: a DNS-rebinding Host is
// answered 421 on every path and on upgrades, a cross-site websocket Origin 403, while curl-style
// requests, non-browser websocket clients and same-origin pages are served.
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseAllowedHost } from '../../../agent/src/status/host-policy.js';
import { AgentMetrics } from '../../../agent/src/status/metrics.js';
import type { StatusBoard } from '../../../agent/src/status/status-board.js';
import { StatusServer } from '../../../agent/src/status/status-server.js';
import type { StatusMessage } from '../../../agent/src/status/status-stream.js';
import { newBoard, request } from './status-fixtures.js';

let board: StatusBoard;
let metrics: AgentMetrics;
let server: StatusServer;
let port: number;

beforeAll(async () => {
  board = newBoard();
  metrics = new AgentMetrics(board);
  server = await StatusServer.start({
    listen: { host: '127.0.0.1', port: 0 },
    board,
    metrics,
    allowedHosts: [parseAllowedHost('nic7.lab.example')!],
  });
  port = server.address.port;
});

afterAll(async () => {
  await server?.close();
});

type Upgrade = { opened: true; first: StatusMessage; ws: WebSocket } | { opened: false; status: number; body: string };

/** Opens /status/stream with the given headers; resolves with the first message or the refusal. */
async function upgrade(headers: Record<string, string>, path = '/status/stream'): Promise<Upgrade> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('message', (data: Buffer) => resolve({ opened: true, first: JSON.parse(data.toString('utf8')) as StatusMessage, ws }));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        req.destroy();
        resolve({ opened: false, status: res.statusCode ?? 0, body });
      });
    });
    ws.once('error', reject);
  });
}

async function closeSocket(u: Upgrade): Promise<void> {
  if (!u.opened) return;
  u.ws.close();
  await once(u.ws, 'close');
}

async function refusals(reason: string): Promise<number> {
  const m = new RegExp(`^mooring_agent_status_refused_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(await metrics.text());
  return Number(m?.[1]);
}

describe('Host check', () => {
  it('answers 421 naming the Host to a DNS-rebinding request, on every path, and changes nothing', async () => {
    const before = await refusals('host');
    for (const path of ['/healthz', '/readyz', '/status', '/metrics', '/nope']) {
      const r = await request(`${server.url}${path}`, { headers: { Host: `evil.example:${port}` } });
      expect(r.status, path).toBe(421);
      expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers.connection).toBe('close');
      expect(r.body).toBe(
        `Host "evil.example:${port}" does not name this status endpoint: use localhost:${port}, its listen address or the address ` +
          `connected to; other names must be listed in statusAllowedHosts\n`,
      );
      expect(r.body).not.toContain('agent-nic-7');
    }
    expect(await refusals('host')).toBe(before + 5);
  });

  it('refuses a name that only starts like localhost, another port and a malformed Host', async () => {
    for (const host of [`localhost.evil.example:${port}`, `localhost:${port + 1}`, 'localhost', `evil.example@127.0.0.1:${port}`]) {
      expect((await request(`${server.url}/healthz`, { headers: { Host: host } })).status, host).toBe(421);
    }
  });

  it('answers localhost, 127.0.0.1, [::1] and a statusAllowedHosts name on the bound port', async () => {
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      `nic7.lab.example:${port}`,
      `NIC7.LAB.EXAMPLE.:${port}`,
    ]) {
      const r = await request(`${server.url}/status`, { headers: { Host: host } });
      expect(r.status, host).toBe(200);
      expect(JSON.parse(r.body)).toEqual(board.snapshot);
    }
  });

  it('answers 421 to a websocket upgrade with a rebinding Host, before looking at Origin or path', async () => {
    const r = await upgrade({ Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` });
    expect(r).toMatchObject({ opened: false, status: 421 });
    expect(server.streamClients).toBe(0);
  });
});

describe('Origin check on /status/stream', () => {
  it('refuses another site with 403 naming the Origin, and holds no subscriber', async () => {
    const before = await refusals('origin');
    const r = await upgrade({ Origin: 'https://evil.example' });
    expect(r).toEqual({
      opened: false,
      status: 403,
      body: 'Origin "https://evil.example" is another site: /status/stream serves no web pages\n',
    });
    expect(server.streamClients).toBe(0);
    expect(await refusals('origin')).toBe(before + 1);
  });

  it('refuses a page on another local port, a page on another local name and Origin null', async () => {
    for (const origin of ['http://127.0.0.1:3000', `http://localhost:${port}`, 'null']) {
      expect(await upgrade({ Origin: origin }), origin).toMatchObject({ opened: false, status: 403 });
    }
  });

  it('serves a client that sends no Origin (curl, websocat, moorctl, the ws library)', async () => {
    const r = await upgrade({});
    expect(r.opened).toBe(true);
    if (r.opened) expect(r.first).toMatchObject({ type: 'snapshot', status: board.snapshot });
    await closeSocket(r);
  });

  it('serves a same-origin page: Origin equal to the Host it connected with', async () => {
    const plain = await upgrade({ Origin: `http://127.0.0.1:${port}` });
    expect(plain).toMatchObject({ opened: true, first: { type: 'snapshot' } });
    const named = await upgrade({ Host: `localhost:${port}`, Origin: `http://localhost:${port}` });
    expect(named).toMatchObject({ opened: true, first: { type: 'snapshot' } });
    expect(server.streamClients).toBe(2);
    await closeSocket(plain);
    await closeSocket(named);
  });

  it('still answers 404 to an upgrade on another path once Host and Origin pass', async () => {
    expect(await upgrade({}, '/status')).toEqual({ opened: false, status: 404, body: 'only /status/stream is a websocket\n' });
  });
});
