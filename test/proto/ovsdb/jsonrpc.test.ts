// JSON-RPC 1.0 session over an in-memory duplex pair: the test plays the peer and sees every byte.
import { Duplex, PassThrough } from 'node:stream';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonRpcConnection } from '../../../proto/ovsdb/jsonrpc.js';
import { JsonFramer } from '../../../proto/ovsdb/framer.js';
import {
  ConnectionClosedError,
  OvsdbProtocolError,
  OvsdbRpcError,
  RequestTimeoutError,
  UnsendableRequestError,
} from '../../../proto/ovsdb/errors.js';

type Message = Record<string, unknown>;

/** The far end of the pair: decodes what the connection wrote and writes raw text back. */
class Peer {
  readonly received: Message[] = [];
  private readonly waiters: ((m: Message) => void)[] = [];
  private readonly framer = new JsonFramer({ maxMessageBytes: 1 << 20 });

  constructor(
    private readonly toConnection: PassThrough,
    fromConnection: PassThrough,
  ) {
    fromConnection.on('data', (chunk: Buffer) => {
      for (const m of this.framer.push(chunk) as Message[]) {
        const w = this.waiters.shift();
        if (w) w(m);
        else this.received.push(m);
      }
    });
  }

  next(): Promise<Message> {
    const m = this.received.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  send(message: Message | string): void {
    this.toConnection.write(typeof message === 'string' ? message : JSON.stringify(message));
  }

  end(): void {
    this.toConnection.end();
  }
}

const open: JsonRpcConnection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

function pair(requestTimeoutMs = 0): { conn: JsonRpcConnection; peer: Peer } {
  const toConnection = new PassThrough();
  const fromConnection = new PassThrough();
  const stream = Duplex.from({ readable: toConnection, writable: fromConnection });
  const conn = new JsonRpcConnection(stream, { maxMessageBytes: 1 << 20, requestTimeoutMs });
  open.push(conn);
  return { conn, peer: new Peer(toConnection, fromConnection) };
}

async function closed(conn: JsonRpcConnection): Promise<Error | undefined> {
  if (conn.isClosed) throw new Error('already closed');
  const [cause] = (await once(conn, 'close')) as [Error | undefined];
  return cause;
}

describe('JsonRpcConnection', () => {
  it('always sends params as an array, with a fresh id per request and id null for notifications', async () => {
    const { conn, peer } = pair();
    void conn.request('list_dbs', []).catch(() => undefined);
    void conn.request('transact', ['Open_vSwitch', { op: 'comment', comment: 'x' }]).catch(() => undefined);
    conn.notify('cancel', [1]);
    const [a, b, c] = [await peer.next(), await peer.next(), await peer.next()];
    expect(a).toEqual({ method: 'list_dbs', params: [], id: 1 });
    expect(b).toEqual({ method: 'transact', params: ['Open_vSwitch', { op: 'comment', comment: 'x' }], id: 2 });
    expect(c).toEqual({ method: 'cancel', params: [1], id: null });
    expect(conn.pendingCount).toBe(2);
  });

  it('correlates replies by id when they arrive out of order', async () => {
    const { conn, peer } = pair();
    const first = conn.request('echo', ['one']);
    const second = conn.request('list_dbs', []);
    const third = conn.request('get_schema', ['Open_vSwitch']);
    const ids = [(await peer.next()).id, (await peer.next()).id, (await peer.next()).id];
    // Replies in reverse, two of them in one write.
    peer.send(
      JSON.stringify({ id: ids[2], result: { name: 'Open_vSwitch' }, error: null }) +
        JSON.stringify({ id: ids[1], result: ['_Server'], error: null }),
    );
    peer.send({ id: ids[0], result: ['one'], error: null });
    expect(await third).toEqual({ name: 'Open_vSwitch' });
    expect(await second).toEqual(['_Server']);
    expect(await first).toEqual(['one']);
    expect(conn.pendingCount).toBe(0);
  });

  it('times a request out with RequestTimeoutError and ignores its late reply', async () => {
    const { conn, peer } = pair(30_000);
    const slow = conn.request('transact', ['Open_vSwitch'], 50);
    const req = await peer.next();
    const err = await slow.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(err).toMatchObject({ method: 'transact', timeoutMs: 50 });
    expect(conn.pendingCount).toBe(0);
    // The late reply is dropped; the session keeps working and later ids still correlate.
    peer.send({ id: req.id, result: [{}], error: null });
    const next = conn.request('echo', ['after']);
    const r = await peer.next();
    expect(r.id).not.toBe(req.id);
    peer.send({ id: r.id, result: ['after'], error: null });
    expect(await next).toEqual(['after']);
    expect(conn.isClosed).toBe(false);
  });

  it('uses the default timeout when none is given, and none at all when it is 0', async () => {
    const { conn, peer } = pair(40);
    await expect(conn.request('echo', [])).rejects.toBeInstanceOf(RequestTimeoutError);
    const untimed = conn.request('echo', [], 0);
    await peer.next();
    const req = await peer.next();
    expect(conn.pendingCount).toBe(1);
    peer.send({ id: req.id, result: [], error: null });
    expect(await untimed).toEqual([]);
  });

  it('rejects every pending request with ConnectionClosedError when the peer closes the stream', async () => {
    const { conn, peer } = pair();
    const pending = [conn.request('lock', ['a']), conn.request('echo', []), conn.request('transact', ['Open_vSwitch'])];
    const settled = Promise.allSettled(pending);
    await peer.next();
    const done = closed(conn);
    peer.end();
    expect(await done).toBeUndefined();
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const reasons = results.map((r) => (r as PromiseRejectedResult).reason as ConnectionClosedError);
    for (const e of reasons) expect(e).toBeInstanceOf(ConnectionClosedError);
    expect(reasons.map((e) => e.method)).toEqual(['lock', 'echo', 'transact']);
    expect(conn.pendingCount).toBe(0);
    // After the close nothing is sent and new requests fail at once with the same type.
    await expect(conn.request('echo', [])).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('rejects params JSON cannot carry without leaving a pending entry or sending anything', async () => {
    const { conn, peer } = pair();
    await expect(conn.request('transact', ['Open_vSwitch', { count: 1n }])).rejects.toThrow(TypeError);
    expect(conn.pendingCount).toBe(0);
    void conn.request('echo', ['next']).catch(() => undefined);
    expect(await peer.next()).toMatchObject({ method: 'echo', params: ['next'] });
    expect(conn.pendingCount).toBe(1);
  });

  it('refuses strings ovsdb-server cannot parse, naming where, and sends look-alikes that it can', async () => {
    const { conn, peer } = pair();
    // A NUL and a lone surrogate would make ovsdb-server drop the connection (wire-text.ts).
    for (const [bad, at] of [
      ['a\u0000b', '[1].row.name'],
      ['x\ud800', '[1].row.name'],
    ] as const) {
      const err = await conn.request('transact', ['Open_vSwitch', { row: { name: bad } }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnsendableRequestError);
      expect((err as Error).message).toContain(at);
    }
    expect(conn.pendingCount).toBe(0);
    // The text of such escapes (a backslash before "u0000") and a valid surrogate pair are fine, and
    // the ids go on from where they were: a refused request used none.
    const fine = ['\\u0000 and \\ud800 as text', '\u{1F600}'];
    void conn.request('echo', fine).catch(() => undefined);
    expect(await peer.next()).toEqual({ method: 'echo', params: fine, id: 1 });
  });

  it('rejects pending requests with the cause given to close(), once', async () => {
    const { conn } = pair();
    const p = conn.request('monitor_cond', ['Open_vSwitch', 'm', {}]);
    const events: (Error | undefined)[] = [];
    conn.on('close', (c) => events.push(c));
    const cause = new Error('shutting down');
    conn.close(cause);
    conn.close(new Error('again'));
    const err = (await p.catch((e: unknown) => e)) as ConnectionClosedError;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.cause).toBe(cause);
    expect(err.message).toMatch(/"monitor_cond" was answered: shutting down/);
    expect(events).toEqual([cause]);
  });

  it("answers the peer's echo request with the same params and id", async () => {
    const { peer } = pair();
    peer.send({ method: 'echo', params: [], id: 'echo' });
    expect(await peer.next()).toEqual({ result: [], error: null, id: 'echo' });
    peer.send({ method: 'echo', params: ['x', { y: [1] }], id: 17 });
    expect(await peer.next()).toEqual({ result: ['x', { y: [1] }], error: null, id: 17 });
  });

  it('answers another request from the peer with an "unknown method" error', async () => {
    const { conn, peer } = pair();
    peer.send({ method: 'get_server_id', params: [], id: 4 });
    expect(await peer.next()).toEqual({ result: null, error: 'unknown method', id: 4 });
    expect(conn.isClosed).toBe(false);
  });

  it('ignores a reply with an id nobody waits for, and the reply to its own keepalive', async () => {
    const { conn, peer } = pair();
    const p = conn.request('echo', ['mine']);
    const req = await peer.next();
    peer.send({ id: 999, result: ['stranger'], error: null });
    peer.send({ id: 'echo', result: [], error: null });
    peer.send({ id: req.id, result: ['mine'], error: null });
    expect(await p).toEqual(['mine']);
    expect(conn.isClosed).toBe(false);
    conn.sendKeepalive();
    expect(await peer.next()).toEqual({ method: 'echo', params: [], id: 'echo' });
  });

  it('turns error replies into OvsdbRpcError with the error and details', async () => {
    const { conn, peer } = pair();
    const a = conn.request('get_schema', ['nope']);
    const b = conn.request('monitor_cond', ['Open_vSwitch', 'm', {}]);
    const [ra, rb] = [await peer.next(), await peer.next()];
    peer.send({
      id: ra.id,
      result: null,
      error: { error: 'unknown database', details: 'get_schema request specifies unknown database nope' },
    });
    peer.send({ id: rb.id, result: null, error: 'unknown method' });
    const ea = (await a.catch((e: unknown) => e)) as OvsdbRpcError;
    expect(ea).toBeInstanceOf(OvsdbRpcError);
    expect(ea).toMatchObject({
      method: 'get_schema',
      error: 'unknown database',
      details: 'get_schema request specifies unknown database nope',
    });
    const eb = (await b.catch((e: unknown) => e)) as OvsdbRpcError;
    expect(eb).toMatchObject({ method: 'monitor_cond', error: 'unknown method', details: undefined });
    expect(conn.isClosed).toBe(false);
  });

  it('delivers notifications with their method and params', async () => {
    const { conn, peer } = pair();
    const got: [string, unknown[]][] = [];
    const two = new Promise<void>((resolve) => {
      conn.on('notification', (method, params) => {
        got.push([method, params]);
        if (got.length === 2) resolve();
      });
    });
    peer.send({ method: 'update2', params: ['mon', { Bridge: {} }], id: null });
    peer.send({ method: 'locked', params: ['lk'] });
    await two;
    expect(got).toEqual([
      ['update2', ['mon', { Bridge: {} }]],
      ['locked', ['lk']],
    ]);
  });

  it.each([
    ['neither a request nor a reply', { foo: 1 }, /neither a request, a notification nor a reply/],
    ['a reply without result or error', { id: 1 }, /neither a request, a notification nor a reply/],
    ['a request without params', { method: 'update2', id: null }, /"update2" without a params array/],
    ['a request with null params', { method: 'echo', params: null, id: 'echo' }, /"echo" without a params array/],
    ['a reply with an id of the wrong type', { id: { x: 1 }, result: [], error: null }, /invalid id/],
    ['a top-level array', '[{"id":1,"result":[],"error":null}]', /'\[' where a JSON-RPC object must start/],
    ['invalid JSON', '{"id":1,"result":,"error":null}', /invalid JSON/],
  ])('closes the connection with OvsdbProtocolError on %s', async (_what, message, pattern) => {
    const { conn, peer } = pair();
    const pending = conn.request('echo', []).catch((e: unknown) => e);
    await peer.next();
    const done = closed(conn);
    peer.send(message);
    const cause = await done;
    expect(cause).toBeInstanceOf(OvsdbProtocolError);
    expect(cause!.message).toMatch(pattern);
    const err = (await pending) as ConnectionClosedError;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.cause).toBe(cause);
    expect(conn.isClosed).toBe(true);
  });

  it('stops dispatching the rest of a chunk after a protocol violation', async () => {
    const { conn, peer } = pair();
    const seen: string[] = [];
    conn.on('notification', (m) => seen.push(m));
    const done = closed(conn);
    peer.send('{"method":"a","params":[],"id":null}{"bogus":true}{"method":"b","params":[],"id":null}');
    expect(await done).toBeInstanceOf(OvsdbProtocolError);
    expect(seen).toEqual(['a']);
  });
});
