// Client keepalive on TCP (RFC 7047 §4.1.11, as ovsdb-server does it): after an idle interval the
// client sends an echo, and it drops a peer that stays silent for a second interval. The peer here
// is a scripted TCP server (a simulation of a hung ovsdb-server) that answers setup calls and then
// goes quiet; a real ovsdb-server answers the probe and the connection stays up.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsdbClient, type Lifecycle } from '../../../proto/ovsdb/client.js';
import { OvsInstance } from '../../harness/ovs.js';

let ovs: OvsInstance;
beforeAll(async () => {
  ovs = await OvsInstance.start({ vswitchd: false });
});
afterAll(async () => {
  await ovs?.stop();
});

function silentPeer(received: string[]): Promise<net.Server> {
  const server = net.createServer((sock) => {
    sock.on('data', (d) => {
      const text = d.toString();
      received.push(text);
      // Answer set_db_change_aware so the session comes up; stay silent afterwards.
      const m = /"method":"set_db_change_aware".*"id":(\d+)/.exec(text);
      if (m) sock.write(`{"id":${m[1]},"result":{},"error":null}`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('keepalive on TCP', () => {
  it('probes an idle peer with echo and drops it after a second silent interval', async () => {
    const received: string[] = [];
    const server = await silentPeer(received);
    const port = (server.address() as net.AddressInfo).port;
    const client = await OvsdbClient.connect({ remote: `tcp:127.0.0.1:${port}`, probeIntervalMs: 1000, reconnect: false });
    const events: Lifecycle[] = [];
    client.on('lifecycle', (e) => events.push(e));
    await new Promise<void>((resolve) => client.on('lifecycle', (e) => e.type === 'closed' && resolve()));
    expect(received.join('')).toContain('{"method":"echo","params":[],"id":"echo"}');
    const lost = events.find((e) => e.type === 'disconnected');
    expect(lost?.type === 'disconnected' && lost.cause?.message).toMatch(
      /no traffic from tcp:127\.0\.0\.1:\d+ for \d+ ms; keepalive failed/,
    );
    server.close();
  });

  it('stays connected to a real ovsdb-server across idle intervals (its echo replies count as traffic)', async () => {
    const client = await OvsdbClient.connect({ remote: ovs.tcpRemote, probeIntervalMs: 1000 });
    const events: Lifecycle[] = [];
    client.on('lifecycle', (e) => events.push(e));
    await new Promise((r) => setTimeout(r, 3500));
    expect(events).toEqual([]);
    expect(await client.listDbs()).toContain('Open_vSwitch');
    client.close();
  });
});
