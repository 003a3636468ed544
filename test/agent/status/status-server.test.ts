// The status endpoint over real HTTP on port 0: each path, readiness following the StatusBoard,
// method and path errors, and listen failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentMetrics } from '../../../agent/src/status/metrics.js';
import { StatusListenError } from '../../../agent/src/status/errors.js';
import { StatusServer } from '../../../agent/src/status/status-server.js';
import type { StatusBoard } from '../../../agent/src/status/status-board.js';
import { makeReady, newBoard, port, request } from './status-fixtures.js';

let board: StatusBoard;
let server: StatusServer;

beforeAll(async () => {
  board = newBoard();
  server = await StatusServer.start({ listen: { host: '127.0.0.1', port: 0 }, board, metrics: new AgentMetrics(board) });
});

afterAll(async () => {
  await server?.close();
});

describe('StatusServer', () => {
  it('binds port 0 to a real port and exposes the bound address', () => {
    expect(server.address.host).toBe('127.0.0.1');
    expect(server.address.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.address.port}`);
    expect(server.state).toBe('listening');
  });

  it('/healthz answers 200 while the process is alive, whatever the readiness', async () => {
    const r = await request(`${server.url}/healthz`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('ok\n');
    expect(board.readiness().ready).toBe(false);
  });

  it('/readyz follows StatusBoard.readiness(): 503 with reasons, 200 when ready, 503 again on loss', async () => {
    let r = await request(`${server.url}/readyz`);
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toBe('not ready\n- ovsdb unix:/run/openvswitch/db.sock is connecting\n- coordinator session is connecting\n');
    r = await request(`${server.url}/readyz`, { headers: { Accept: 'application/json' } });
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({ ready: false, reasons: board.readiness().reasons });

    makeReady(board);
    r = await request(`${server.url}/readyz`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('ready\n');
    r = await request(`${server.url}/readyz?format=json`);
    expect(JSON.parse(r.body)).toEqual({ ready: true, reasons: [] });

    board.update((s) => ({ ...s, coordinator: { ...s.coordinator, state: 'backoff', reason: 'connection refused' } }));
    r = await request(`${server.url}/readyz?format=json`);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toEqual({ ready: false, reasons: ['coordinator session is backoff: connection refused'] });
    makeReady(board);
  });

  it('/status returns the AgentStatus snapshot as JSON', async () => {
    board.update((s) => ({ ...s, ports: [port(1, 'active'), port(2, 'pending')] }));
    const r = await request(`${server.url}/status`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const body = JSON.parse(r.body);
    expect(body).toEqual(board.snapshot);
    expect(body).toMatchObject({
      agentId: 'agent-nic-7',
      version: '0.1.0',
      role: 'smartnic',
      coordinator: { state: 'online', epoch: 3 },
      ovsdb: { state: 'connected' },
      ports: [
        { name: 'pf0vf1', state: 'active' },
        { name: 'pf0vf2', state: 'pending' },
      ],
    });
  });

  it('/metrics returns Prometheus text', async () => {
    const r = await request(`${server.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(r.body).toContain('mooring_agent_session_state{state="online"} 1');
    expect(r.body).toContain('mooring_agent_ports{state="active"} 1');
  });

  it('answers 404 for other paths and 405 for methods other than GET and HEAD', async () => {
    const nf = await request(`${server.url}/nope`);
    expect(nf.status).toBe(404);
    expect((await request(`${server.url}/status/`)).status).toBe(404);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await request(`${server.url}/status`, { method });
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    const head = await request(`${server.url}/readyz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers 426 to a plain GET of the websocket path', async () => {
    const r = await request(`${server.url}/status/stream`);
    expect(r.status).toBe(426);
  });

  it('fails to start with StatusListenError naming the address when it is taken', async () => {
    const err = await StatusServer.start({
      listen: { host: '127.0.0.1', port: server.address.port },
      board,
      metrics: new AgentMetrics(board),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StatusListenError);
    expect((err as StatusListenError).message).toBe(
      `status endpoint cannot listen on 127.0.0.1:${server.address.port} ` +
        '(EADDRINUSE: another process, perhaps another mooring-agent, already listens there)',
    );
  });

  it('listens on IPv6 loopback too', async () => {
    const s6 = await StatusServer.start({ listen: { host: '::1', port: 0 }, board, metrics: new AgentMetrics(board) }).catch(
      () => undefined,
    );
    if (!s6) return; // no IPv6 loopback in this environment
    try {
      expect(s6.url).toBe(`http://[::1]:${s6.address.port}`);
      expect((await request(`${s6.url}/healthz`)).status).toBe(200);
    } finally {
      await s6.close();
    }
  });
});
