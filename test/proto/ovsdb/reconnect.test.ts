// Fault tests: the real ovsdb-server is killed with SIGKILL and restarted on the same socket.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { OvsdbClient } from '../../../proto/ovsdb/client.js';
import { ConnectionClosedError, NotConnectedError } from '../../../proto/ovsdb/errors.js';
import { OVS_DB, type BridgeRow } from '../../../proto/ovsdb/rows.js';
import { PortBinder } from '../../../agent/src/ovs/port-binder.js';
import type { PortSpec } from '../../../agent/src/ovs/port-spec.js';
import type { Row } from '../../../proto/ovsdb/replica.js';
import { LifecycleLog, nextEvent, untilReplica } from './events.js';

const run = promisify(execFile);
const RECONNECT = { initialMs: 50, maxMs: 400 };
let ovs: OvsInstance;
let pidFile: string;
const clients: OvsdbClient[] = [];

async function connect(): Promise<OvsdbClient> {
  const c = await OvsdbClient.connect({ remote: ovs.unixRemote, reconnect: RECONNECT });
  clients.push(c);
  return c;
}

async function serverPid(): Promise<number> {
  return Number((await readFile(pidFile, 'utf8')).trim());
}

function bridgeNames(rows: Iterable<Row>): string[] {
  return [...rows].map((r) => r.name as string).sort();
}

beforeAll(async () => {
  // --pidfile with no argument writes $OVS_RUNDIR/ovsdb-server.pid, i.e. into the instance's dir.
  ovs = await OvsInstance.start({ bridge: 'br-int', extraServerArgs: ['--pidfile'] });
  pidFile = path.join(ovs.dir, 'ovsdb-server.pid');
});

afterAll(async () => {
  for (const c of clients) c.close();
  await ovs?.stop();
});

describe('reconnect after ovsdb-server is killed', () => {
  it('rejects pending requests, reconnects, and rebuilds the monitor with changes made while down', async () => {
    const client = await connect();
    const log = new LifecycleLog(client);
    const monitor = await client.monitor(OVS_DB, { Open_vSwitch: { columns: ['bridges', 'next_cfg'] }, Bridge: { columns: ['name'] } });
    const legacy = await client.monitor(OVS_DB, { Bridge: { columns: ['name'] } }, 'monitor');
    expect(bridgeNames(monitor.replica.rows('Bridge'))).toEqual(['br-int']);
    const nextCfg = Number([...monitor.replica.rows('Open_vSwitch')][0]!.next_cfg);

    // A transaction that blocks in the server until next_cfg changes (it won't): it stays pending.
    const wait = {
      op: 'wait',
      table: 'Open_vSwitch',
      where: [],
      columns: ['next_cfg'],
      until: '!=',
      rows: [{ next_cfg: nextCfg }],
      timeout: 60_000,
    };
    const blocked = client.transact(OVS_DB, [wait]).catch((e: unknown) => e);
    // An echo after it is answered, so the wait has certainly reached the server and is pending there.
    expect(await client.echo(['after-wait'])).toEqual(['after-wait']);

    const rebuilt = Promise.all([nextEvent(monitor, 'rebuilt', () => true, 20_000), nextEvent(legacy, 'rebuilt', () => true, 20_000)]);
    await ovs.killServer('SIGKILL');
    const err = await blocked;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as ConnectionClosedError).method).toBe('transact');
    await log.next('reconnecting');
    // While it is down nothing is sent, and the caller is told why.
    await expect(client.listDbs()).rejects.toBeInstanceOf(NotConnectedError);

    // Change the database file while no server runs, then restart the server on the same socket.
    await run('ovsdb-tool', [
      'transact',
      path.join(ovs.dir, 'conf.db'),
      JSON.stringify([
        OVS_DB,
        { op: 'insert', table: 'Interface', 'uuid-name': 'i', row: { name: 'br-offline', type: 'internal' } },
        { op: 'insert', table: 'Port', 'uuid-name': 'p', row: { name: 'br-offline', interfaces: ['named-uuid', 'i'] } },
        { op: 'insert', table: 'Bridge', 'uuid-name': 'b', row: { name: 'br-offline', ports: ['named-uuid', 'p'] } },
        { op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['bridges', 'insert', ['named-uuid', 'b']]] },
      ]),
    ]);
    await ovs.startServer();
    const connected = await log.next('connected', 0, 20_000);
    expect(connected.reconnect).toBe(true);
    await rebuilt;

    // disconnected -> reconnecting (one per failed attempt) -> connected, nothing else.
    const types = log.types;
    expect(types[0]).toBe('disconnected');
    expect(types.at(-1)).toBe('connected');
    expect(types.slice(1, -1).length).toBeGreaterThan(0);
    expect(types.slice(1, -1).every((t) => t === 'reconnecting')).toBe(true);
    const attempts = log.events.flatMap((e) => (e.type === 'reconnecting' ? [e] : []));
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(attempts.every((a) => a.delayMs > 0 && a.delayMs <= RECONNECT.maxMs)).toBe(true);
    expect(client.state).toBe('connected');

    // The replica matches the database again, including what changed while the server was down.
    expect(bridgeNames(monitor.replica.rows('Bridge'))).toEqual(['br-int', 'br-offline']);
    expect(bridgeNames(legacy.replica.rows('Bridge'))).toEqual(['br-int', 'br-offline']); // RFC 7047 monitor too
    expect(legacy.method).toBe('monitor');
    const offline = monitor.replica.find('Bridge', 'name', 'br-offline') as BridgeRow;
    expect([...monitor.replica.rows('Open_vSwitch')][0]!.bridges).toContain(offline._uuid);
    expect(await ovs.vsctl('--no-wait', 'get', 'Bridge', 'br-offline', '_uuid')).toBe(offline._uuid);
    // Updates flow again on the new session.
    await ovs.vsctl('--no-wait', 'del-br', 'br-offline');
    await untilReplica(monitor, () => !monitor.replica.find('Bridge', 'name', 'br-offline'), 'br-offline removed after reconnect');
    await untilReplica(legacy, () => !legacy.replica.find('Bridge', 'name', 'br-offline'), 'br-offline removed (monitor)');
    await legacy.cancel();
    expect(await client.listDbs()).toContain(OVS_DB);
    await monitor.cancel();
  });
});

describe('keepalive', () => {
  it('on TCP, drops a frozen server after its own echo probes go unanswered, then reconnects', async () => {
    const client = await OvsdbClient.connect({ remote: ovs.tcpRemote, reconnect: RECONNECT, probeIntervalMs: 1000 });
    clients.push(client);
    const log = new LifecycleLog(client);
    const pid = await serverPid();
    process.kill(pid, 'SIGSTOP'); // alive (the kernel still holds the socket) but silent
    try {
      const pending = client.echo(['frozen']).catch((e: unknown) => e);
      const disconnected = await log.next('disconnected', 0, 10_000);
      expect(disconnected.cause?.message).toMatch(/no traffic from tcp:127\.0\.0\.1:\d+ for \d+ ms; keepalive failed/);
      const err = (await pending) as ConnectionClosedError;
      expect(err).toBeInstanceOf(ConnectionClosedError);
      expect(err.cause).toBe(disconnected.cause);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await log.next('connected', 0, 20_000)).reconnect).toBe(true);
    expect(await client.echo(['thawed'])).toEqual(['thawed']);
    client.close();
  });
});

describe('PortBinder across an ovsdb-server kill', () => {
  const spec = (n: number): PortSpec => ({ name: `rc${n}`, ifaceId: `iface-${n}`, mac: `52:54:00:00:01:0${n}`, vmUuid: `vm-${n}` });

  async function ports(): Promise<string[]> {
    return (await ovs.vsctl('list-ports', 'br-int')).split('\n').filter(Boolean);
  }

  async function restartAndReconnect(client: OvsdbClient): Promise<void> {
    const log = new LifecycleLog(client);
    await ovs.startServer();
    if (client.state !== 'connected') await log.next('connected', 0, 20_000);
  }

  it('a bind whose transaction never reached the database fails, and its retry leaves exactly one port', async () => {
    const client = await connect();
    const binder = await PortBinder.create(client, { bridge: 'br-int', applyTimeoutMs: 20_000 });
    // Freeze the server so the bind's transaction is written but certainly not executed, then kill it.
    process.kill(await serverPid(), 'SIGSTOP');
    const inFlight = binder.bind(spec(1)).catch((e: unknown) => e);
    await ovs.killServer('SIGKILL');
    const err = await inFlight;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    await restartAndReconnect(client);
    const status = await binder.bind(spec(1));
    expect(status).toMatchObject({ name: 'rc1', state: 'active', ifaceId: 'iface-1' });
    expect((await ports()).filter((p) => p === 'rc1')).toEqual(['rc1']);
    expect(await ovs.vsctl('--columns=name', '--bare', 'find', 'Interface', 'name=rc1')).toBe('rc1');
  });

  it('a bind committed but not yet confirmed when the server dies completes, and a retry adds nothing', async () => {
    const client = await connect();
    const binder = await PortBinder.create(client, { bridge: 'br-int', applyTimeoutMs: 20_000 });
    // The kill lands somewhere in the bind: before, during or after its commit. Whatever happened,
    // bind either fails with the connection or finishes once vswitchd has applied it.
    const inFlight = binder.bind(spec(2)).then(
      (s) => ({ ok: true as const, s }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    await ovs.killServer('SIGKILL');
    await restartAndReconnect(client);
    const first = await inFlight;
    if (first.ok) expect(first.s.state).toBe('active');
    else expect(first.e).toBeInstanceOf(ConnectionClosedError);
    const retry = await binder.bindMany([spec(2)]);
    expect([...retry.added, ...retry.unchanged]).toEqual(['rc2']);
    expect(retry.ports[0]).toMatchObject({ name: 'rc2', state: 'active' });
    const all = await ports();
    expect(all.filter((p) => p === 'rc2')).toEqual(['rc2']);
    expect(all).toEqual(['rc1', 'rc2']);
    expect((await ovs.vsctl('--bare', '--columns=_uuid', 'find', 'Interface', 'name=rc2')).split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a bind committed before the server dies is found by the retry, which adds nothing', async () => {
    const client = await connect();
    const binder = await PortBinder.create(client, { bridge: 'br-int', applyTimeoutMs: 30_000 });
    await ovs.stopVswitchd(); // so the bind commits and then waits for cur_cfg
    const inFlight = binder.bind(spec(3)).catch((e: unknown) => e);
    // Committed: our own transaction's update reaches the replica before its reply (ovsdb-server(7)).
    await untilReplica(binder.replicaMonitor, () => binder.status('rc3') !== undefined, 'rc3 committed');
    await ovs.killServer('SIGKILL');
    await restartAndReconnect(client);
    await ovs.startVswitchd();
    // The transaction is committed either way; only whether its reply got out before the kill varies.
    // Reply lost: the bind fails with the connection. Reply in: it finishes once vswitchd applies it.
    const first = await inFlight;
    if (first instanceof Error) expect(first).toBeInstanceOf(ConnectionClosedError);
    else expect(first).toMatchObject({ name: 'rc3', state: 'active' });
    const retry = await binder.bindMany([spec(3)]);
    expect(retry).toMatchObject({ added: [], updated: [], unchanged: ['rc3'], nextCfg: undefined });
    expect(await ports()).toEqual(['rc1', 'rc2', 'rc3']);
  });
});
