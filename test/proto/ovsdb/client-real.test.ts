// The OVSDB client against a real ovsdb-server (no ovs-vswitchd: every ovs-vsctl call is --no-wait).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { OvsdbClient, type OvsdbClientOptions } from '../../../proto/ovsdb/client.js';
import { ConnectionClosedError, MessageTooLargeError, OvsdbRpcError, TransactionError } from '../../../proto/ovsdb/errors.js';
import { namedUuid, set, uuid, type Atom } from '../../../proto/ovsdb/encoding.js';
import type { Monitor } from '../../../proto/ovsdb/monitor.js';
import type { RowChange } from '../../../proto/ovsdb/replica.js';
import { OVS_DB, type BridgeRow, type PortRow } from '../../../proto/ovsdb/rows.js';
import { nextEvent, untilReplica } from './events.js';

const run = promisify(execFile);
let ovs: OvsInstance;
const clients: OvsdbClient[] = [];

async function connect(extra: Partial<OvsdbClientOptions> = {}): Promise<OvsdbClient> {
  const c = await OvsdbClient.connect({ remote: ovs.unixRemote, reconnect: false, ...extra });
  clients.push(c);
  return c;
}

const vsctl = (...args: string[]): Promise<string> => ovs.vsctl('--no-wait', ...args);

/** The number of monitors ovsdb-server holds, from its own memory report. */
async function serverMonitors(): Promise<number> {
  const { stdout } = await run('ovs-appctl', ['-t', path.join(ovs.dir, 'ovsdb-server.ctl'), 'memory/show'], { env: ovs.env });
  return Number(/monitors:(\d+)/.exec(stdout)?.[1] ?? 0);
}

/** These tests monitor Bridge.external_ids too (MONITORED), which the agent's BridgeRow leaves out. */
function bridgeNamed(m: Monitor, name: string): (BridgeRow & { external_ids: Map<Atom, Atom> }) | undefined {
  return m.replica.find('Bridge', 'name', name) as (BridgeRow & { external_ids: Map<Atom, Atom> }) | undefined;
}

/** Port names on a bridge, resolved through the replica as the agent does. */
function portsOf(m: Monitor, bridge: string): string[] {
  const br = bridgeNamed(m, bridge);
  if (!br) return [];
  return br.ports.map((u) => (m.replica.get('Port', u) as PortRow | undefined)?.name ?? `?${u}`).sort();
}

const MONITORED = { Open_vSwitch: {}, Bridge: { columns: ['name', 'ports', 'external_ids'] }, Port: { columns: ['name', 'interfaces'] } };

beforeAll(async () => {
  ovs = await OvsInstance.start({ vswitchd: false, bridge: 'br-base' });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await ovs?.stop();
});

describe('OvsdbClient against a real ovsdb-server', () => {
  it('lists the databases, including the built-in _Server', async () => {
    const c = await connect();
    const dbs = await c.listDbs();
    expect(dbs).toContain('Open_vSwitch');
    expect(dbs).toContain('_Server');
    expect(await vsctl('list-br')).toBe('br-base'); // the harness made it without ovs-vswitchd
  });

  it('gets and parses a schema; an unknown database is an OvsdbRpcError', async () => {
    const c = await connect();
    const schema = await c.getSchema(OVS_DB);
    expect(schema.name).toBe('Open_vSwitch');
    expect(schema.tables.get('Open_vSwitch')!.isRoot).toBe(true);
    expect(schema.tables.get('Bridge')!.columns.get('ports')).toMatchObject({ kind: 'set', key: 'uuid' });
    expect(schema.tables.get('Interface')!.columns.get('ofport')).toMatchObject({ kind: 'optional', key: 'integer' });
    expect(schema.tables.get('Interface')!.columns.get('external_ids')).toMatchObject({ kind: 'map', key: 'string', value: 'string' });
    const err = await c.getSchema('NoSuchDb').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbRpcError);
    expect(err).toMatchObject({ method: 'get_schema', error: 'unknown database' });
  });

  it('transacts: inserts a bridge referenced from the root table and reads it back', async () => {
    const c = await connect();
    const result = await c.transact(OVS_DB, [
      { op: 'insert', table: 'Interface', 'uuid-name': 'i', row: { name: 'br-tx', type: 'internal' } },
      { op: 'insert', table: 'Port', 'uuid-name': 'p', row: { name: 'br-tx', interfaces: namedUuid('i') } },
      { op: 'insert', table: 'Bridge', 'uuid-name': 'b', row: { name: 'br-tx', ports: set([namedUuid('p')]) } },
      { op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['bridges', 'insert', set([namedUuid('b')])]] },
      { op: 'select', table: 'Bridge', where: [['name', '==', 'br-tx']], columns: ['_uuid', 'name'] },
    ]);
    expect(result).toHaveLength(5);
    const bridgeUuid = (result[2]!.uuid as [string, string])[1];
    expect(result[3]).toEqual({ count: 1 });
    expect(result[4]).toEqual({ rows: [{ _uuid: uuid(bridgeUuid), name: 'br-tx' }] });
    expect(await vsctl('list-br')).toContain('br-tx');
    expect(await vsctl('get', 'Bridge', 'br-tx', '_uuid')).toBe(bridgeUuid);
  });

  it('turns a per-operation error into a TransactionError naming the operation', async () => {
    const c = await connect();
    const ops = [
      { op: 'select', table: 'Bridge', where: [], columns: ['name'] },
      { op: 'insert', table: 'Interface', row: { name: 'bad0', no_such_column: 1 } },
      { op: 'comment', comment: 'never run' },
    ];
    const err = await c.transact(OVS_DB, ops).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionError);
    expect(err).toMatchObject({ index: 1, op: 'insert', error: 'unknown column' });
    expect((err as TransactionError).details).toMatch(/no_such_column/);
    expect(await vsctl('--columns=name', 'find', 'Interface', 'name=bad0')).toBe('');
  });

  it('turns the extra commit-error slot into a TransactionError with index ops.length and op "commit"', async () => {
    const c = await connect();
    // Every op succeeds, but the commit finds Open_vSwitch.bridges pointing at a row that does not
    // exist: ovsdb-server answers [{"count":1}, {}, {"error":"referential integrity violation"}].
    const ops = [
      {
        op: 'mutate',
        table: 'Open_vSwitch',
        where: [],
        mutations: [['bridges', 'insert', set([uuid('12345678-1234-1234-1234-123456789012')])]],
      },
      { op: 'comment', comment: 'commit error test' },
    ];
    const err = await c.transact(OVS_DB, ops).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionError);
    expect(err).toMatchObject({ index: ops.length, op: 'commit', error: 'referential integrity violation' });
    expect((err as TransactionError).details).toMatch(/references nonexistent row 12345678-1234-1234-1234-123456789012/);
    expect(await vsctl('get', 'Open_vSwitch', '.', 'bridges')).not.toContain('12345678');
  });

  it.each(['monitor_cond', 'monitor'] as const)('builds a replica with %s and applies changes made with ovs-vsctl', async (method) => {
    const c = await connect({ monitorMethod: method });
    const br = `br-${method === 'monitor' ? 'l' : 'c'}`;
    const m = await c.monitor(OVS_DB, MONITORED);
    expect(m.method).toBe(method);
    // The initial contents are in before monitor() resolves.
    expect(m.replica.count('Open_vSwitch')).toBe(1);
    expect(bridgeNamed(m, 'br-tx')).toBeDefined();
    const changes: RowChange[] = [];
    m.on('update', (cs) => changes.push(...cs));

    await vsctl('add-br', br, '--', 'br-set-external-id', br, 'owner', 'test');
    await untilReplica(m, () => portsOf(m, br).join() === br, `${br} in the replica`);
    expect(bridgeNamed(m, br)!.external_ids).toEqual(new Map([['owner', 'test']]));
    const ovsRow = [...m.replica.rows('Open_vSwitch')][0]!;
    expect(ovsRow.bridges).toContain(bridgeNamed(m, br)!._uuid);
    expect(changes.some((ch) => ch.table === 'Bridge' && ch.kind === 'insert' && ch.new?.name === br)).toBe(true);

    await vsctl('add-port', br, 'p1', '--', 'add-port', br, 'p2');
    await untilReplica(m, () => portsOf(m, br).join() === `${br},p1,p2`, 'p1 and p2');
    await vsctl('del-port', br, 'p1', '--', 'add-port', br, 'p3');
    await untilReplica(m, () => portsOf(m, br).join() === `${br},p2,p3`, 'p1 swapped for p3');
    expect(m.replica.find('Port', 'name', 'p1')).toBeUndefined();

    // Map changes: a key added, one changed, one removed.
    await vsctl('br-set-external-id', br, 'extra', 'x');
    await untilReplica(m, () => bridgeNamed(m, br)!.external_ids.get('extra') === 'x', 'extra=x');
    await vsctl('br-set-external-id', br, 'owner', 'someone-else', '--', 'br-set-external-id', br, 'extra');
    await untilReplica(m, () => !bridgeNamed(m, br)!.external_ids.has('extra'), 'extra removed');
    expect(bridgeNamed(m, br)!.external_ids).toEqual(new Map([['owner', 'someone-else']]));

    const before = changes.length;
    await vsctl('del-br', br);
    await untilReplica(m, () => !bridgeNamed(m, br), `${br} deleted`);
    expect(m.replica.find('Port', 'name', 'p2')).toBeUndefined();
    const deleted = changes.slice(before).find((ch) => ch.table === 'Bridge' && ch.kind === 'delete');
    expect(deleted?.old?.name).toBe(br);
    expect(deleted?.new).toBeUndefined();
    // Our replica agrees with the server's view.
    expect(
      [...m.replica.rows('Bridge')]
        .map((r) => r.name as string)
        .sort()
        .join('\n'),
    ).toBe(await vsctl('list-br'));
  });

  it('follows optional scalars and integer sets through real update2 diffs', async () => {
    const c = await connect();
    await vsctl('add-br', 'br-opt', '--', 'add-port', 'br-opt', 'trunk0');
    const m = await c.monitor(OVS_DB, { Port: { columns: ['name', 'tag', 'trunks'], where: [['name', '==', 'trunk0']] } });
    const port = (): PortRow => m.replica.find('Port', 'name', 'trunk0') as PortRow;
    expect(port()).toMatchObject({ tag: null, trunks: [] });
    await vsctl('set', 'Port', 'trunk0', 'tag=10', 'trunks=1,2,3');
    await untilReplica(m, () => port().tag === 10, 'tag=10');
    expect([...(port().trunks as number[])].sort()).toEqual([1, 2, 3]);
    await vsctl('set', 'Port', 'trunk0', 'tag=20', 'trunks=2,4');
    await untilReplica(m, () => port().tag === 20, 'tag=20');
    expect([...(port().trunks as number[])].sort()).toEqual([2, 4]);
    await vsctl('clear', 'Port', 'trunk0', 'tag', '--', 'set', 'Port', 'trunk0', 'trunks=4');
    await untilReplica(m, () => port().tag === null, 'tag cleared');
    expect(port().trunks).toEqual([4]);
    expect(await vsctl('get', 'Port', 'trunk0', 'trunks')).toBe('[4]');
    await vsctl('del-br', 'br-opt');
  });

  it('sends monitor_cancel: the server drops the monitor and no more updates arrive', async () => {
    const c = await connect();
    const base = await serverMonitors();
    const cancelled = await c.monitor(OVS_DB, { Bridge: { columns: ['name'] } });
    const kept = await c.monitor(OVS_DB, { Bridge: { columns: ['name', 'ports'] } });
    expect(await serverMonitors()).toBe(base + 2);
    const ended = nextEvent(cancelled, 'ended');
    await cancelled.cancel();
    await ended;
    expect(cancelled.isActive).toBe(false);
    expect(await serverMonitors()).toBe(base + 1);
    let late = 0;
    cancelled.on('update', () => late++);
    await vsctl('add-br', 'br-after-cancel');
    // Both monitors share this session, so once `kept` has the bridge any update for `cancelled` has arrived too.
    await untilReplica(kept, () => bridgeNamed(kept, 'br-after-cancel') !== undefined, 'br-after-cancel');
    expect(late).toBe(0);
    expect(bridgeNamed(cancelled, 'br-after-cancel')).toBeUndefined();
    await vsctl('del-br', 'br-after-cancel');
  });

  it('subscribes again when the server cancels a monitor (database converted), without reconnecting', async () => {
    const c = await connect(); // db-change-aware by default, so the server sends monitor_canceled
    const lifecycle: string[] = [];
    c.on('lifecycle', (e) => lifecycle.push(e.type));
    const m = await c.monitor(OVS_DB, { Bridge: { columns: ['name'] } });
    await vsctl('add-br', 'br-conv');
    await untilReplica(m, () => bridgeNamed(m, 'br-conv') !== undefined, 'br-conv');
    const rebuilt = nextEvent(m, 'rebuilt');
    await run('ovsdb-client', ['convert', ovs.unixRemote, '/usr/share/openvswitch/vswitch.ovsschema'], { env: ovs.env });
    await rebuilt;
    expect(lifecycle).toEqual([]);
    expect(m.isActive).toBe(true);
    expect(bridgeNamed(m, 'br-conv')).toBeDefined();
    await vsctl('del-br', 'br-conv');
    await untilReplica(m, () => bridgeNamed(m, 'br-conv') === undefined, 'br-conv deleted after the conversion');
  });

  it.each(['monitor_cond', 'monitor'] as const)(
    'with %s and an empty column list, reports the rows and no made-up values',
    async (method) => {
      const c = await connect({ monitorMethod: method });
      await vsctl('add-br', `br-none-${method.length}`);
      const m = await c.monitor(OVS_DB, { Bridge: { columns: [] } });
      const rows = [...m.replica.rows('Bridge')];
      expect(rows.length).toBe((await vsctl('list-br')).split('\n').length);
      // ovsdb-server sends no column for "columns": []; a name of "" would be a value it never sent.
      for (const row of rows) expect(Object.keys(row)).toEqual(['_uuid']);
      await vsctl('del-br', `br-none-${method.length}`);
    },
  );

  it('monitors only the rows matching a monitor_cond condition', async () => {
    const c = await connect();
    await vsctl('add-br', 'br-x', '--', 'add-br', 'br-y');
    const m = await c.monitor(OVS_DB, { Bridge: { columns: ['name'], where: [['name', '==', 'br-y']] } });
    expect([...m.replica.rows('Bridge')].map((r) => r.name)).toEqual(['br-y']);
    await vsctl('del-br', 'br-x', '--', 'del-br', 'br-y');
    await untilReplica(m, () => m.replica.count('Bridge') === 0, 'br-y deleted');
  });

  it('correlates many concurrent requests on one session', async () => {
    const c = await connect();
    const replies = await Promise.all(Array.from({ length: 300 }, (_, i) => c.echo([i, `n${i}`])));
    expect(replies).toEqual(Array.from({ length: 300 }, (_, i) => [i, `n${i}`]));
  });

  it('drops the session with MessageTooLargeError when a reply exceeds maxMessageBytes', async () => {
    const c = await connect({ maxMessageBytes: 4096 });
    const lifecycle: string[] = [];
    c.on('lifecycle', (e) => lifecycle.push(e.type));
    expect(await c.listDbs()).toContain(OVS_DB); // small replies still fit
    const err = (await c.getSchema(OVS_DB).catch((e: unknown) => e)) as ConnectionClosedError;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.cause).toBeInstanceOf(MessageTooLargeError);
    expect(err.message).toMatch(/larger than 4096 bytes; disconnecting/);
    expect(lifecycle).toEqual(['disconnected', 'closed']); // reconnect: false
  });

  it('echoes, and sets db-change-awareness', async () => {
    const c = await connect({ dbChangeAware: false });
    expect(await c.echo(['ping', 42, { a: [1] }])).toEqual(['ping', 42, { a: [1] }]);
    expect(await c.echo()).toEqual([]);
    await expect(c.setDbChangeAware(true)).resolves.toBeUndefined();
    await expect(c.setDbChangeAware(false)).resolves.toBeUndefined();
  });

  it('locks, waits for the lock, and has it stolen, across two clients', async () => {
    const a = await connect();
    const b = await connect();
    expect(await a.lock('mooring_test')).toBe(true);
    expect(await b.lock('mooring_test')).toBe(false);
    const bLocked = nextEvent(b, 'lock', (e: { type: string; name: string }) => e.type === 'locked' && e.name === 'mooring_test');
    await a.unlock('mooring_test');
    await bLocked;
    // Holding it now, b can assert it in a transaction.
    await expect(b.transact(OVS_DB, [{ op: 'assert', lock: 'mooring_test' }])).resolves.toEqual([{}]);
    const bStolen = nextEvent(b, 'lock', (e: { type: string; name: string }) => e.type === 'stolen' && e.name === 'mooring_test');
    expect(await a.steal('mooring_test')).toBe(true);
    await bStolen;
    const notOwner = await b.transact(OVS_DB, [{ op: 'assert', lock: 'mooring_test' }]).catch((e: unknown) => e);
    expect(notOwner).toMatchObject({ name: 'TransactionError', error: 'not owner', index: 0, op: 'assert' });
    await a.unlock('mooring_test');
    await b.unlock('mooring_test');
  });

  it('works over the TCP remote too', async () => {
    const c = await connect({ remote: ovs.tcpRemote });
    expect(c.remoteText).toBe(ovs.tcpRemote);
    expect(await c.listDbs()).toContain('Open_vSwitch');
    const m = await c.monitor(OVS_DB, { Bridge: { columns: ['name'] } });
    await vsctl('add-br', 'br-tcp');
    await untilReplica(m, () => bridgeNamed(m, 'br-tcp') !== undefined, 'br-tcp over TCP');
    await vsctl('del-br', 'br-tcp');
    await untilReplica(m, () => bridgeNamed(m, 'br-tcp') === undefined, 'br-tcp gone over TCP');
  });
});
