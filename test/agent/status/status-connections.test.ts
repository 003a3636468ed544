// Connection bounds of a real status server on a loopback port: silent and half-sent connections
// are closed after the (short, test-configured) timeouts; with thousands of idle and half-sent
// connections opened, the server holds no more than its limit, a busy answer is not cut, and
// /healthz on a new connection still answers; /status/stream subscribers are capped.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AgentMetrics } from '../../../agent/src/status/metrics.js';
import { StatusOptionError } from '../../../agent/src/status/errors.js';
import type { StatusBoard } from '../../../agent/src/status/status-board.js';
import { StatusServer, type StatusLimits } from '../../../agent/src/status/status-server.js';
import { newBoard, openFileLimit, port, rawConnect, request, type RawClient } from './status-fixtures.js';

let board: StatusBoard;
let server: StatusServer | undefined;
const clients: RawClient[] = [];

async function start(limits: Partial<StatusLimits>): Promise<StatusServer> {
  board = newBoard();
  server = await StatusServer.start({ listen: { host: '127.0.0.1', port: 0 }, board, metrics: new AgentMetrics(board), limits });
  return server;
}

function connect(s: StatusServer): RawClient {
  const c = rawConnect(s.address.port);
  clients.push(c);
  return c;
}

/** The whole /status answer body for the board now (compared as text: it is ~30 MB). */
const statusBody = (): string => `${JSON.stringify(board.snapshot, null, 2)}\n`;

const tcpHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap').length;

/** Polls until pred() holds; fails after limitMs (a bound for the test, not a speed claim). */
async function until(pred: () => boolean, limitMs: number, what: string): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!pred()) {
    if (performance.now() > deadline) throw new Error(`not within ${limitMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(async () => {
  for (const c of clients) c.socket.destroy();
  await Promise.all(clients.splice(0).map((c) => c.closed));
  await server?.close();
  server = undefined;
});

describe('timeouts', () => {
  it('closes a connection that sends nothing once idleTimeoutMs has passed, not before', async () => {
    const s = await start({ idleTimeoutMs: 400, headersTimeoutMs: 30_000 });
    const silent = connect(s);
    const closedAfter = await Promise.race([silent.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), 10_000))]);
    expect(closedAfter).not.toBe('open');
    expect(closedAfter).toBeGreaterThanOrEqual(400);
    expect(silent.received()).toBe('');
    await until(() => s.connections === 0, 5_000, 'the server to forget the closed connection');
  });

  it('closes a connection that sent half a request head and stopped', async () => {
    const s = await start({ idleTimeoutMs: 400, headersTimeoutMs: 30_000 });
    const half = connect(s);
    half.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${s.address.port}\r\n`);
    const closedAfter = await Promise.race([half.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), 10_000))]);
    expect(closedAfter).not.toBe('open');
    expect(closedAfter).toBeGreaterThanOrEqual(400);
    expect(half.received()).toBe('');
  });

  it('answers 408 and closes a connection that trickles its head slower than headersTimeoutMs allows', async () => {
    const s = await start({ idleTimeoutMs: 1_000, headersTimeoutMs: 1_500 });
    const slow = connect(s);
    // One byte every 100 ms never leaves the connection idle, and never finishes the head.
    const head = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${s.address.port}\r\nX-Pad: ${'x'.repeat(200)}\r\n\r\n`;
    let sent = 0;
    const drip = setInterval(() => {
      if (!slow.socket.destroyed && sent < head.length) slow.socket.write(head[sent++]!);
    }, 100);
    try {
      const closedAfter = await Promise.race([slow.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), 15_000))]);
      expect(closedAfter).not.toBe('open');
      expect(closedAfter).toBeGreaterThanOrEqual(1_500);
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(sent).toBeLessThan(head.length);
    } finally {
      clearInterval(drip);
    }
  });

  it('keeps answering a client that sends its request at once', async () => {
    const s = await start({ idleTimeoutMs: 400, headersTimeoutMs: 1_000 });
    const c = connect(s);
    c.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${s.address.port}\r\nConnection: close\r\n\r\n`);
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok\n$/);
  });

  it('refuses limits that are not positive integers, naming the field', async () => {
    board = newBoard();
    const err = await StatusServer.start({
      listen: { host: '127.0.0.1', port: 0 },
      board,
      metrics: new AgentMetrics(board),
      limits: { maxConnections: 0 },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StatusOptionError);
    expect((err as Error).message).toBe('status endpoint option limits.maxConnections must be a positive integer (got 0)');
  });
});

describe('connection flood', () => {
  it('holds at most maxConnections, keeps a busy answer going, and /healthz still answers 200', async () => {
    // Client and server sockets both count against this process's limit; stay well below it.
    const limit = openFileLimit();
    const n = Math.min(2000, Math.floor((limit - 500) / 2));
    expect(n).toBeGreaterThan(500);
    const max = 64;
    const s = await start({ idleTimeoutMs: 60_000, headersTimeoutMs: 60_000, maxConnections: max });
    const handlesBefore = tcpHandles();

    // A client that asked for a large /status (~30 MB, more than the socket buffers hold) and does
    // not read yet: its answer is in progress, so it must not be cut to make room.
    board.update((st) => ({ ...st, ports: Array.from({ length: 100_000 }, (_, i) => port(i % 250, 'active')) }));
    const busy = connect(s);
    busy.socket.once('data', () => busy.socket.pause());
    busy.socket.write(`GET /status HTTP/1.1\r\nHost: 127.0.0.1:${s.address.port}\r\nConnection: close\r\n\r\n`);
    await until(() => busy.received().startsWith('HTTP/1.1 200 OK'), 10_000, 'the busy answer to begin');
    expect(s.limits.maxConnections).toBe(max);

    // Half the flood sends nothing, half sends half a request head. Opened in batches smaller than
    // the listen backlog: connects beyond a full accept queue would sit in the kernel, not the server.
    const flood: RawClient[] = [];
    let closedByServer = 0;
    for (let opened = 0; opened < n;) {
      for (const end = Math.min(n, opened + 100); opened < end; opened++) {
        const c = connect(s);
        if (opened % 2 === 1)
          c.socket.once('connect', () => c.socket.write(`GET /status HTTP/1.1\r\nHost: 127.0.0.1:${s.address.port}\r\n`));
        void c.closed.then(() => closedByServer++);
        flood.push(c);
      }
      // Every flood connection opened so far is either held (besides the busy one) or closed.
      await until(() => closedByServer + s.connections - 1 >= opened, 30_000, `the server to take ${opened} flood connections`);
    }
    expect(closedByServer).toBeGreaterThanOrEqual(n - max);
    expect(s.connections).toBeLessThanOrEqual(max);

    const health = await request(`${s.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body).toBe('ok\n');

    // The busy answer arrives whole.
    busy.socket.resume();
    await busy.closed;
    expect(busy.received().split('\r\n\r\n')[1] === statusBody()).toBe(true);

    for (const c of flood) c.socket.destroy();
    await Promise.all(flood.map((c) => c.closed));
    await until(() => s.connections === 0, 5_000, 'the server to forget the closed connections');
    expect(tcpHandles()).toBeLessThanOrEqual(handlesBefore);
  });
});

describe('connection limit with every held connection busy', () => {
  it('closes the newcomer at once and finishes the answers in progress', async () => {
    const s = await start({ idleTimeoutMs: 60_000, headersTimeoutMs: 60_000, maxConnections: 2 });
    board.update((st) => ({ ...st, ports: Array.from({ length: 100_000 }, (_, i) => port(i % 250, 'active')) }));
    const busy = [connect(s), connect(s)];
    for (const b of busy) {
      // Read the first chunk of the answer (so it is in progress), then stop reading.
      b.socket.once('data', () => b.socket.pause());
      b.socket.write(`GET /status HTTP/1.1\r\nHost: 127.0.0.1:${s.address.port}\r\nConnection: close\r\n\r\n`);
    }
    await until(() => busy.every((b) => b.received().startsWith('HTTP/1.1 200 OK')), 10_000, 'both answers to begin');
    const newcomer = connect(s);
    await newcomer.closed;
    expect(newcomer.received()).toBe('');
    for (const b of busy) b.socket.resume();
    for (const b of busy) {
      await b.closed;
      expect(b.received().split('\r\n\r\n')[1] === statusBody()).toBe(true);
    }
    expect((await request(`${s.url}/healthz`)).status).toBe(200);
  });
});

describe('/status/stream subscriber limit', () => {
  it('answers 503 past maxStreamClients and takes a new subscriber once one leaves', async () => {
    const s = await start({ maxStreamClients: 2 });
    const open = async (): Promise<WebSocket> => {
      const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/status/stream`);
      await once(ws, 'message');
      return ws;
    };
    const a = await open();
    const b = await open();
    const third = new WebSocket(`${s.url.replace(/^http/, 'ws')}/status/stream`);
    const [req, res] = (await once(third, 'unexpected-response')) as [
      { destroy(): void },
      { statusCode: number; headers: Record<string, string> },
    ];
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('10');
    req.destroy();
    expect(s.streamClients).toBe(2);

    a.close();
    await once(a, 'close');
    await until(() => s.streamClients === 1, 5_000, 'the server to drop the closed subscriber');
    const c = await open();
    expect(s.streamClients).toBe(2);
    for (const ws of [b, c]) {
      ws.close();
      await once(ws, 'close');
    }
  });
});
