// A scripted peer: a raw net.Server on a unix socket that plays ovsdb-server badly on purpose. It is
// a stand-in only for what a real ovsdb-server never does (malformed and oversized JSON, an old
// server without monitor_cond); everything else in these tests runs against the real one.
import net from 'node:net';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OvsdbClient, type OvsdbClientOptions } from '../../../proto/ovsdb/client.js';
import { JsonFramer } from '../../../proto/ovsdb/framer.js';
import { ConnectionClosedError, MessageTooLargeError, OvsdbProtocolError } from '../../../proto/ovsdb/errors.js';
import { LifecycleLog, untilReplica } from './events.js';

type Request = { method: string; params: unknown[]; id: unknown };
type Script = (req: Request, reply: (message: object | string) => void) => void;

const BR = '2f3e4a5b-0000-4000-8000-000000000001';
const PORT = '2f3e4a5b-0000-4000-8000-000000000002';

let dir: string;
let vswitchSchema: unknown;
const peers: ScriptedPeer[] = [];
const clients: OvsdbClient[] = [];

/** Answers set_db_change_aware with {}, everything else as the script says. */
class ScriptedPeer {
  readonly requests: Request[] = [];
  readonly sockets: net.Socket[] = [];
  private readonly server: net.Server;

  constructor(
    readonly sockPath: string,
    script: Script,
    greeting?: string,
  ) {
    this.server = net.createServer((sock) => {
      this.sockets.push(sock);
      if (greeting !== undefined) sock.write(greeting);
      sock.on('error', () => undefined); // the client resets the socket when it gives up
      const framer = new JsonFramer({ maxMessageBytes: 1 << 20 });
      sock.on('data', (chunk: Buffer) => {
        for (const req of framer.push(chunk) as Request[]) {
          this.requests.push(req);
          const reply = (m: object | string): void => void sock.write(typeof m === 'string' ? m : JSON.stringify(m));
          if (req.method === 'set_db_change_aware') reply({ id: req.id, result: {}, error: null });
          else script(req, reply);
        }
      });
    });
  }

  /** greeting: bytes sent as soon as a client connects, before any request. */
  static async start(name: string, script: Script, greeting?: string): Promise<ScriptedPeer> {
    const peer = new ScriptedPeer(path.join(dir, `${name}.sock`), script, greeting);
    peers.push(peer);
    peer.server.listen(peer.sockPath);
    await once(peer.server, 'listening');
    return peer;
  }

  /** Resolves when the server side of the first connection has seen it close. */
  async connectionClosed(): Promise<void> {
    const s = this.sockets[0]!;
    // Not events.once: it would reject on the EPIPE/ECONNRESET the server may see first.
    if (!s.destroyed) await new Promise((resolve) => s.once('close', resolve));
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

async function connect(peer: ScriptedPeer, extra: Partial<OvsdbClientOptions> = {}): Promise<OvsdbClient> {
  const c = await OvsdbClient.connect({ remote: `unix:${peer.sockPath}`, reconnect: false, requestTimeoutMs: 10_000, ...extra });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-peer-'));
  vswitchSchema = JSON.parse(await readFile('/usr/share/openvswitch/vswitch.ovsschema', 'utf8'));
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const p of peers.splice(0)) p.close();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const big = `{"id":ID,"result":["${'x'.repeat(5000)}"],"error":null}`;

describe('a scripted peer sending malformed data', () => {
  it.each([
    ['garbage bytes', 'HTTP/1.1 400 Bad Request\r\n\r\n', OvsdbProtocolError, /'H' where a JSON-RPC object must start/],
    ['binary garbage', '\u0000\u0001\u0002', OvsdbProtocolError, /byte 0x00 where a JSON-RPC object must start/],
    ['invalid JSON', '{"id":ID,"result":[1,,2],"error":null}', OvsdbProtocolError, /invalid JSON/],
    ['a JSON array at top level', '[{"id":ID,"result":[],"error":null}]', OvsdbProtocolError, /'\[' where a JSON-RPC object must start/],
    ['an oversized message', big, MessageTooLargeError, /larger than 1024 bytes/],
    ['a reply with a bogus id', '{"id":{"bogus":ID},"result":[],"error":null}', OvsdbProtocolError, /reply with an invalid id/],
    ['a message without params', '{"method":"update2","id":null}', OvsdbProtocolError, /"update2" without a params array/],
    ['an object that is no JSON-RPC message', '{"hello":"world"}', OvsdbProtocolError, /neither a request, a notification nor a reply/],
  ])('%s: pending request fails with the cause, client reports it, server sees the close', async (_what, wire, type, pattern) => {
    const peer = await ScriptedPeer.start('bad', (req, reply) => {
      if (req.method === 'echo') reply(wire.replace('ID', String(req.id)));
    });
    const client = await connect(peer, { maxMessageBytes: 1024 });
    const log = new LifecycleLog(client);
    const err = (await client.echo(['x']).catch((e: unknown) => e)) as ConnectionClosedError;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.method).toBe('echo');
    expect(err.cause).toBeInstanceOf(type);
    expect((err.cause as Error).message).toMatch(pattern);
    expect(err.message).toMatch(pattern);
    const disconnected = await log.next('disconnected');
    expect(disconnected.cause).toBe(err.cause);
    await log.next('closed'); // reconnect: false
    expect(client.state).toBe('closed');
    await peer.connectionClosed();
  });

  it('an oversized message sent in many small writes is cut off at the limit', async () => {
    const peer = await ScriptedPeer.start('trickle', (req, reply) => {
      if (req.method !== 'echo') return;
      reply(`{"id":${String(req.id)},"result":["`);
      for (let i = 0; i < 200; i++) reply('y'.repeat(64));
    });
    const client = await connect(peer, { maxMessageBytes: 1024 });
    const err = (await client.echo([]).catch((e: unknown) => e)) as ConnectionClosedError;
    expect(err.cause).toBeInstanceOf(MessageTooLargeError);
    await peer.connectionClosed();
  });

  it('a reply with an id nobody waits for is ignored; the session goes on', async () => {
    const peer = await ScriptedPeer.start('stray', (req, reply) => {
      if (req.method !== 'echo') return;
      reply({ id: 987654, result: ['stray'], error: null });
      reply({ id: req.id as number, result: req.params, error: null });
    });
    const client = await connect(peer);
    expect(await client.echo(['mine'])).toEqual(['mine']);
    expect(client.state).toBe('connected');
    expect(peer.sockets[0]!.destroyed).toBe(false);
  });

  it('malformed data before the session is set up makes connect() fail with the protocol error', async () => {
    // Garbage as soon as the client connects, before it has its set_db_change_aware answer.
    const peer = await ScriptedPeer.start('early', () => undefined, 'garbage');
    const err = (await connect(peer).catch((e: unknown) => e)) as ConnectionClosedError;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.cause).toBeInstanceOf(OvsdbProtocolError);
    expect(err.message).toMatch(/'g' where a JSON-RPC object must start/);
    await peer.connectionClosed();
  });
});

describe('a scripted peer without monitor_cond', () => {
  it.each([
    ['as a string', 'unknown method'],
    ['as an object', { error: 'unknown method' }],
  ])('falls back to monitor and builds the replica (error %s)', async (_how, error) => {
    let notify: ((m: object) => void) | undefined;
    const peer = await ScriptedPeer.start('old', (req, reply) => {
      switch (req.method) {
        case 'get_schema':
          reply({ id: req.id, result: vswitchSchema, error: null });
          return;
        case 'monitor_cond':
          reply({ id: req.id, result: null, error });
          return;
        case 'monitor':
          reply({
            id: req.id,
            error: null,
            result: {
              Bridge: { [BR]: { new: { name: 'br-int', ports: ['uuid', PORT], external_ids: ['map', [['a', '1']]] } } },
              Port: { [PORT]: { new: { name: 'br-int', interfaces: ['set', []] } } },
            },
          });
          notify = reply;
          return;
        default:
          reply({ id: req.id, result: null, error: 'unknown method' });
      }
    });
    const client = await connect(peer);
    const m = await client.monitor('Open_vSwitch', { Bridge: { columns: ['name', 'ports', 'external_ids'] }, Port: {} });
    expect(m.method).toBe('monitor');
    expect(peer.requests.map((r) => r.method)).toEqual(['set_db_change_aware', 'get_schema', 'monitor_cond', 'monitor']);
    // The RFC 7047 request: one <monitor-request> object per table, not an array of cond-requests.
    const legacy = peer.requests[3]!;
    expect(legacy.params[0]).toBe('Open_vSwitch');
    expect(legacy.params[1]).toBe(peer.requests[2]!.params[1]);
    expect(legacy.params[2]).toEqual({ Bridge: { columns: ['name', 'ports', 'external_ids'] }, Port: {} });
    expect(m.replica.get('Bridge', BR)).toMatchObject({ name: 'br-int', ports: [PORT], external_ids: new Map([['a', '1']]) });
    expect(m.replica.get('Port', PORT)).toMatchObject({ name: 'br-int', interfaces: [] });

    // Later "update" notifications (old/new rows) are applied as well.
    notify!({
      method: 'update',
      params: [
        legacy.params[1],
        {
          // RFC 7047 §4.1.6: "old" holds the prior value of every monitored column that changed.
          Bridge: {
            [BR]: {
              old: { ports: ['uuid', PORT], external_ids: ['map', [['a', '1']]] },
              new: { name: 'br-int', ports: ['set', []], external_ids: ['map', []] },
            },
          },
          Port: { [PORT]: { old: { name: 'br-int' } } },
        },
      ],
      id: null,
    });
    await untilReplica(m, () => m.replica.count('Port') === 0, 'the port deleted by the update');
    expect(m.replica.get('Bridge', BR)).toMatchObject({ ports: [], external_ids: new Map() });
    expect(client.state).toBe('connected');
  });
});
