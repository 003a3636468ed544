// The /status/stream websocket against a real server on port 0: initial snapshot, pushed changes,
// drop-to-latest for a client that stops reading, and a close() that leaves nothing open.
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AgentMetrics } from '../../../agent/src/status/metrics.js';
import { StatusServer } from '../../../agent/src/status/status-server.js';
import type { StatusMessage } from '../../../agent/src/status/status-stream.js';
import type { StatusBoard } from '../../../agent/src/status/status-board.js';
import { makeReady, newBoard, port, request } from './status-fixtures.js';

/** A websocket client that queues messages so a test can await them one by one. */
class Subscriber {
  private readonly queue: StatusMessage[] = [];
  private readonly waiters: ((m: StatusMessage) => void)[] = [];
  readonly closed: Promise<number>;
  socket: net.Socket | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString('utf8')) as StatusMessage;
      const w = this.waiters.shift();
      if (w) w(m);
      else this.queue.push(m);
    });
    this.closed = once(ws, 'close').then(([code]) => code as number);
  }

  static async connect(url: string, options: { captureSocket?: boolean } = {}): Promise<Subscriber> {
    let socket: net.Socket | undefined;
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/status/stream`, {
      createConnection: options.captureSocket
        ? (opts: { host?: string | null; port?: string | number | null }): net.Socket =>
            (socket = net.connect(Number(opts.port), opts.host ?? '127.0.0.1'))
        : undefined,
    });
    const sub = new Subscriber(ws);
    sub.socket = socket;
    await once(ws, 'open');
    return sub;
  }

  next(): Promise<StatusMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async until(pred: (m: StatusMessage) => boolean): Promise<StatusMessage[]> {
    const seen: StatusMessage[] = [];
    for (;;) {
      const m = await this.next();
      seen.push(m);
      if (pred(m)) return seen;
    }
  }
}

let board: StatusBoard;
let server: StatusServer | undefined;
const subs: Subscriber[] = [];

async function start(): Promise<StatusServer> {
  board = newBoard();
  server = await StatusServer.start({ listen: { host: '127.0.0.1', port: 0 }, board, metrics: new AgentMetrics(board) });
  return server;
}

async function subscribe(s: StatusServer, options?: { captureSocket?: boolean }): Promise<Subscriber> {
  const sub = await Subscriber.connect(s.url, options);
  subs.push(sub);
  return sub;
}

afterEach(async () => {
  await server?.close();
  await Promise.all(subs.splice(0).map((s) => s.closed));
});

describe('/status/stream', () => {
  it('sends the current snapshot on connect, then each change as one message', async () => {
    const s = await start();
    makeReady(board, 4);
    const sub = await subscribe(s);
    const first = await sub.next();
    expect(first.type).toBe('snapshot');
    expect(first.status).toEqual(board.snapshot);
    expect(first.status.coordinator.epoch).toBe(4);

    board.update((st) => ({ ...st, ports: [port(1, 'pending')] }));
    const change = await sub.next();
    expect(change).toEqual({ type: 'change', seq: first.seq + 1, status: board.snapshot });

    // An update that changes nothing is not pushed: the next message is the next real change.
    board.update((st) => ({ ...st }));
    board.update((st) => ({ ...st, ports: [port(1, 'active')] }));
    const again = await sub.next();
    expect(again.seq).toBe(change.seq + 1);
    expect(again.status.ports[0]?.state).toBe('active');
  });

  it('pushes every change to every subscriber that keeps up', async () => {
    const s = await start();
    const a = await subscribe(s);
    const b = await subscribe(s);
    await a.next();
    await b.next();
    expect(s.streamClients).toBe(2);
    for (let i = 1; i <= 20; i++) {
      board.update((st) => ({ ...st, coordinator: { ...st.coordinator, epoch: i } }));
      expect((await a.next()).status.coordinator.epoch).toBe(i);
      expect((await b.next()).status.coordinator.epoch).toBe(i);
    }
  });

  it('drops to the latest snapshot for a client that stops reading, without holding up others', async () => {
    const s = await start();
    // ~400 KB per snapshot, 100 changes: far more than the socket buffers hold while paused.
    const many = Array.from({ length: 2000 }, (_, i) => port(i % 250, 'active'));
    const slow = await subscribe(s, { captureSocket: true });
    const fast = await subscribe(s);
    await slow.next();
    await fast.next();
    slow.socket!.pause();
    const pushes = 100;
    for (let i = 1; i <= pushes; i++) {
      board.update((st) => ({ ...st, coordinator: { ...st.coordinator, epoch: i }, ports: many }));
      // The fast client keeps up: it sees every change.
      expect((await fast.next()).status.coordinator.epoch).toBe(i);
    }
    slow.socket!.resume();
    const seen = await slow.until((m) => m.status.coordinator.epoch === pushes);
    expect(seen.length).toBeLessThan(pushes);
    const seqs = seen.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seen.at(-1)!.status).toEqual(board.snapshot);
  });

  it('refuses websocket upgrades on other paths with 404', async () => {
    const s = await start();
    const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/status`);
    const [req, res] = (await once(ws, 'unexpected-response')) as [{ destroy(): void }, { statusCode: number }];
    expect(res.statusCode).toBe(404);
    req.destroy();
  });

  it('close() terminates subscribers, stops listening and leaves no sockets or listeners behind', async () => {
    const handles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap').length;
    // libuv frees a closed socket's handle a loop turn after 'close': let the previous test's
    // sockets (a refused upgrade is closed by the server at once) finish going before counting.
    const settled = async (): Promise<number> => {
      for (let last = -1; ;) {
        await new Promise((r) => setTimeout(r, 50));
        const n = handles();
        if (n === last) return n;
        last = n;
      }
    };
    const before = await settled();
    const s = await start();
    const subsHere = [await subscribe(s), await subscribe(s)];
    await Promise.all(subsHere.map((x) => x.next()));
    expect((await request(`${s.url}/healthz`)).status).toBe(200);
    expect(board.listenerCount('change')).toBe(1);

    await s.close();
    const codes = await Promise.all(subsHere.map((x) => x.closed));
    expect(codes).toEqual([1006, 1006]);
    expect(s.state).toBe('closed');
    expect(s.streamClients).toBe(0);
    expect(board.listenerCount('change')).toBe(0);
    await expect(request(`${s.url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await settled()).toBe(before);
    // Idempotent.
    await s.close();
  });
});
