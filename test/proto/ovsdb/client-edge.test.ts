// Edge cases of the client's session handling: close() during setup, refused and re-granted
// locks across reconnects, and consumer bugs in monitor listeners. Real ovsdb-server, except the
// first case, which needs a scripted peer (a simulation) to hold the session mid-setup.
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { OvsdbClient, type Lifecycle } from '../../../proto/ovsdb/client.js';
import { OvsdbRpcError } from '../../../proto/ovsdb/errors.js';
import { JsonFramer } from '../../../proto/ovsdb/framer.js';
import { LifecycleLog, nextEvent } from './events.js';

let ovs: OvsInstance;
beforeAll(async () => {
  ovs = await OvsInstance.start({ vswitchd: false });
});
afterAll(async () => {
  await ovs?.stop();
});

it('close() while the session is being set up leaves the client closed and the socket closed', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mooring-close-'));
  const sockPath = path.join(dir, 'peer.sock');
  let serverSide: net.Socket | undefined;
  const server = net.createServer();
  const firstRequest = new Promise<{ id: number }>((resolve) => {
    server.on('connection', (sock) => {
      serverSide = sock;
      const framer = new JsonFramer({ maxMessageBytes: 1 << 20 });
      sock.on('error', () => undefined);
      sock.on('data', (c: Buffer) => {
        for (const m of framer.push(c) as { id: number }[]) resolve(m);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(sockPath, resolve));
  const client = new OvsdbClient({ remote: `unix:${sockPath}`, reconnect: false });
  const events: Lifecycle['type'][] = [];
  client.on('lifecycle', (e) => events.push(e.type));
  client.start();
  const req = await firstRequest; // set_db_change_aware: the session is being set up
  client.close();
  const serverSaw = new Promise<string>((resolve) => serverSide!.once('close', () => resolve('server saw close')));
  const clientSaid = new Promise<string>((resolve) => client.on('lifecycle', (e) => e.type === 'connected' && resolve('client connected')));
  if (!serverSide!.destroyed) serverSide!.write(JSON.stringify({ id: req.id, result: {}, error: null }));
  expect(await Promise.race([serverSaw, clientSaid])).toBe('server saw close');
  expect(client.state).toBe('closed');
  expect(events).toEqual(['closed']);
  server.close();
  await rm(dir, { recursive: true, force: true });
});

it('a lock the server refused does not stop the client from reconnecting', async () => {
  const client = await OvsdbClient.connect({ remote: ovs.unixRemote, reconnect: { initialMs: 50, maxMs: 200 } });
  const log = new LifecycleLog(client);
  await expect(client.lock('not-an-id!')).rejects.toBeInstanceOf(OvsdbRpcError);
  await ovs.killServer('SIGKILL');
  await ovs.startServer();
  const connected = await log.next('connected', 0, 5000).catch((e: unknown) => e);
  expect(connected).toMatchObject({ type: 'connected', reconnect: true });
  client.close();
});

it('a client waiting for a lock is told when it gets the lock on reconnect', async () => {
  const reconnect = { initialMs: 50, maxMs: 200 };
  const a = await OvsdbClient.connect({ remote: ovs.unixRemote, reconnect });
  const b = await OvsdbClient.connect({ remote: ovs.unixRemote, reconnect });
  expect(await a.lock('agent_lock')).toBe(true);
  expect(await b.lock('agent_lock')).toBe(false);
  const bLocked = nextEvent(b, 'lock', (e: { type: string }) => e.type === 'locked', 5000).catch((e: unknown) => e);
  const bLog = new LifecycleLog(b);
  await ovs.killServer('SIGKILL');
  a.close();
  await ovs.startServer();
  await bLog.next('connected', 0, 10_000);
  expect(await bLocked).toEqual([{ type: 'locked', name: 'agent_lock' }]);
  b.close();
});

it("a throwing 'update' listener does not take the OVSDB session down", async () => {
  const client = await OvsdbClient.connect({ remote: ovs.unixRemote, reconnect: { initialMs: 50, maxMs: 200 } });
  const log = new LifecycleLog(client);
  const m = await client.monitor('Open_vSwitch', { Bridge: { columns: ['name'] } });
  m.on('update', () => {
    throw new Error('bug in a consumer');
  });
  await ovs.vsctl('--no-wait', 'add-br', 'br-boom');
  expect(await client.echo(['still here'])).toEqual(['still here']);
  expect(log.types).toEqual([]);
  client.close();
});
