// A simulation of ovsdb-server refusing a request for its content, in front of a real ovsdb-server.
// When ovsdb-server cannot parse a request (a NUL in a string; verified on OVS 3.1.0: "null bytes
// not supported in quoted strings", then "connection dropped (Protocol error)") it sends no reply
// and closes the connection. The agent no longer sends such text, so to exercise what it does when
// the server refuses something it did not foresee, this proxy behaves the same way on a marker: a
// client request whose JSON text contains `marker` closes that client's connection at once, without
// forwarding it. Everything else passes through both ways to the real server. It counts the
// connections it accepted, so a test can tell a client that reconnects in a loop from one that
// settled. In 'error' mode it answers such a transact instead, as ovsdb-server answers a
// transaction it parsed but refuses (RFC 7047 §4.1.3: the first operation's slot holds the error,
// the later ones null, the JSON-RPC error stays null), and forwards nothing.

export type RefusalMode = 'close' | 'error';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonFramer } from '../../proto/ovsdb/framer.js';

export class RefusingOvsdbProxy {
  /** Connections accepted so far. */
  connections = 0;
  /** Requests refused (connections closed because of the marker). */
  refused = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private readonly dir: string,
  ) {}

  /** Listens on a unix socket in a temp dir and forwards to the ovsdb-server socket `upstream`. */
  static async start(upstream: string, marker: string, mode: RefusalMode = 'close'): Promise<RefusingOvsdbProxy> {
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-ovsdb-proxy-'));
    const server = net.createServer();
    const proxy = new RefusingOvsdbProxy(server, dir);
    server.on('connection', (client) => proxy.accept(client, upstream, marker, mode));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path.join(dir, 'proxy.sock'), resolve);
    });
    return proxy;
  }

  get sock(): string {
    return path.join(this.dir, 'proxy.sock');
  }

  get unixRemote(): string {
    return `unix:${this.sock}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }

  private accept(client: net.Socket, upstream: string, marker: string, mode: RefusalMode): void {
    this.connections++;
    const server = net.connect(upstream);
    this.sockets.add(client);
    this.sockets.add(server);
    const framer = new JsonFramer({ maxMessageBytes: 64 * 1024 * 1024 });
    const end = (): void => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on('data', (chunk: Buffer) => {
      let messages: unknown[];
      try {
        messages = framer.push(chunk);
      } catch {
        end();
        return;
      }
      for (const message of messages) {
        const text = JSON.stringify(message);
        if (text.includes(marker)) {
          this.refused++;
          const m = message as { id?: unknown; params?: unknown[] };
          if (mode === 'close' || !Array.isArray(m.params)) {
            end();
            return;
          }
          const result: unknown[] = m.params.slice(1).map(() => null);
          result[0] = { error: 'constraint violation', details: 'simulated refusal by the test proxy' };
          client.write(JSON.stringify({ id: m.id, result, error: null }));
          continue;
        }
        server.write(text);
      }
    });
    server.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('close', end);
    server.on('close', end);
    client.on('error', end);
    server.on('error', end);
  }
}
