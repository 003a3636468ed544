// Port bindings OVSDB cannot take, against a real ovsdb-server + ovs-vswitchd. ovsdb-server drops
// the whole connection, with no reply, on a NUL in a string; before these checks the agent kept such
// a spec in its durable desired set and reconnected several times a second for ever. Here: the
// client refuses to send what the server cannot parse, the binder and the CLI refuse bad names,
// MACs, iface-ids and vm-uuids naming the field, and a change the server refuses by closing the
// connection (a simulation in front of the real server: RefusingOvsdbProxy) fails permanently,
// leaves the desired set, and the agent's OVSDB connection settles, also when the refused spec was
// already stored (as an older agent left it) and is found by the reconcile after a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandExecutor } from '../../../agent/src/commands/command-executor.js';
import { InvalidPortSpecError } from '../../../agent/src/ovs/errors.js';
import { OvsConnection } from '../../../agent/src/ovs/ovs-connection.js';
import { PortBinder } from '../../../agent/src/ovs/port-binder.js';
import type { PortSpec } from '../../../agent/src/ovs/port-spec.js';
import { OvsdbClient, type Lifecycle } from '../../../proto/ovsdb/client.js';
import { UnsendableRequestError } from '../../../proto/ovsdb/errors.js';
import { AgentStore } from '../../../agent/src/state/agent-store.js';
import type { AgentCommand__Output } from '../../../proto/generated/index.js';
import { agentCli } from '../../harness/cli.js';
import { OvsInstance, waitFor } from '../../harness/ovs.js';
import { RefusingOvsdbProxy } from '../../harness/refusing-ovsdb-proxy.js';
import { newBoard } from '../status/status-fixtures.js';

const MARKER = 'refuse-me';
const log = pino({ level: 'silent' });
let ovs: OvsInstance;
let proxy: RefusingOvsdbProxy;
let dir: string;

const spec = (name: string, fields: Partial<PortSpec> = {}): PortSpec => ({
  name,
  ifaceId: `if-${name}`,
  mac: '52:54:00:00:00:31',
  vmUuid: 'm-31',
  ...fields,
});
const bind = (id: string, p: PortSpec): AgentCommand__Output => ({ id, kind: 'bindPort', bindPort: { port: p } });
const ports = async (): Promise<string[]> => (await ovs.vsctl('list-ports', 'br-int')).split('\n').filter(Boolean);

/** Resolves once no new OVSDB connection has been made for `quietMs`; fails if connections keep coming. */
async function settled(quietMs: number, tries = 10): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const before = proxy.connections;
    await sleep(quietMs);
    if (proxy.connections === before) return;
  }
  throw new Error(`still reconnecting: ${proxy.connections} OVSDB connections so far`);
}

beforeAll(async () => {
  ovs = await OvsInstance.start({ bridge: 'br-int' });
  proxy = await RefusingOvsdbProxy.start(ovs.sock, MARKER);
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-bad-names-'));
});

afterAll(async () => {
  await proxy?.stop();
  await ovs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('what ovsdb-server cannot parse', () => {
  it('the real server drops the connection on a NUL without answering; the client refuses to send one and stays connected', async () => {
    const request = (value: string): string =>
      JSON.stringify({
        method: 'transact',
        params: [
          'Open_vSwitch',
          { op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['external_ids', 'insert', ['map', [['probe', value]]]]] },
        ],
        id: 1,
      });
    // The peer's behaviour, seen on a raw socket.
    const reply = await new Promise<string>((resolve) => {
      const s = net.connect(ovs.sock);
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString()));
      s.on('close', () => resolve(got));
      s.on('connect', () => s.write(request('a\u0000b')));
    });
    expect(reply).toBe('');

    const client = await OvsdbClient.connect({ remote: ovs.unixRemote });
    const events: Lifecycle['type'][] = [];
    client.on('lifecycle', (e) => events.push(e.type));
    try {
      for (const bad of ['a\u0000b', 'a\ud800b']) {
        const err = await client
          .transact('Open_vSwitch', [
            { op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['external_ids', 'insert', ['map', [['probe', bad]]]]] },
          ])
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UnsendableRequestError);
        expect((err as Error).message).toContain('params[1].mutations[0][2][1][0][1]');
      }
      expect(client.state).toBe('connected');
      expect(await client.echo(['still here'])).toEqual(['still here']);
      expect(events).toEqual([]);
    } finally {
      client.close();
    }
  });
});

describe('bad names, MACs, iface-ids and vm-uuids', () => {
  it('the binder refuses NUL and control characters in every field, naming it, and OVS is untouched', async () => {
    const client = await OvsdbClient.connect({ remote: ovs.unixRemote });
    try {
      const binder = await PortBinder.create(client, { bridge: 'br-int', applyTimeoutMs: 5000 });
      const before = await ports();
      const cases: [keyof PortSpec, string][] = [
        ['name', 'vf\u00001'],
        ['name', 'vf\u001b1'],
        ['name', 'p0123456789abcde'],
        ['ifaceId', 'if\u0000x'],
        ['ifaceId', 'if\u0085x'],
        ['ifaceId', 'if\ud800x'],
        ['mac', '52:54:00:00:00:3\u0000'],
        ['vmUuid', 'm\u00001'],
        ['vmUuid', 'm\n1'],
      ];
      for (const [field, value] of cases) {
        const err = await binder.bind(spec('vf-bad', { [field]: value })).catch((e: unknown) => e);
        expect(err, `${field}=${JSON.stringify(value)}`).toBeInstanceOf(InvalidPortSpecError);
        expect((err as InvalidPortSpecError).field).toBe(field);
        expect((err as Error).message).toMatch(new RegExp(`^invalid port ${field}: `));
      }
      expect(client.state).toBe('connected');
      expect(await ports()).toEqual(before);
    } finally {
      client.close();
    }
  });

  it('mooring-agent ovs bind and unbind refuse the same, before connecting', async () => {
    const db = ['--db', ovs.unixRemote];
    const r = await agentCli([
      'ovs',
      'bind',
      ...db,
      '--port',
      'vf-cli',
      '--iface-id',
      'a\u0001b',
      '--mac',
      '52:54:00:00:00:32',
      '--vm-uuid',
      'm-32',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe('mooring-agent: invalid port ifaceId: "a\\u0001b" contains the control character U+0001 at index 1\n');
    const name = await agentCli([
      'ovs',
      'bind',
      ...db,
      '--port',
      'vf\u001bx',
      '--iface-id',
      'ok',
      '--mac',
      '52:54:00:00:00:32',
      '--vm-uuid',
      'm-32',
    ]);
    expect(name.stderr).toMatch(/^mooring-agent: invalid port name: "vf\\u001bx" contains the control character U\+001B/);
    const unbind = await agentCli(['ovs', 'unbind', ...db, '--port', 'vf\u007f']);
    expect(unbind.code).not.toBe(0);
    expect(unbind.stderr).toMatch(/^mooring-agent: invalid port name: .* U\+007F/);
    expect(await ports()).not.toContain('vf-cli');
  });
});

describe('a change the server refuses by dropping the connection', () => {
  let store: AgentStore;
  let conn: OvsConnection;
  let executor: CommandExecutor;

  // Wired as agent.ts wires them: every (re)connection of OVSDB reconciles the desired set.
  function startAgentSide(): void {
    store = AgentStore.open(path.join(dir, 'agent'));
    conn = new OvsConnection(
      { remote: proxy.unixRemote, reconnect: { initialMs: 200, maxMs: 5000 } },
      { bridge: 'br-int', datapathType: 'netdev', applyTimeoutMs: 5000 },
      newBoard(),
      log,
    );
    executor = new CommandExecutor(store, conn, 10_000, log);
    conn.on('ready', () => void executor.reconcile().catch(() => undefined));
    conn.start();
  }

  async function stopAgentSide(): Promise<void> {
    conn.close();
    await executor.idle();
    await store.close();
  }

  afterAll(async () => {
    await stopAgentSide().catch(() => undefined);
  });

  it('fails the command permanently, keeps it out of the desired set, and stops reconnecting', async () => {
    startAgentSide();
    const good = await executor.execute(bind('c1', spec('vf-ok')));
    expect(good).toMatchObject({ ok: true });

    const r = await executor.execute(bind('c2', spec('vf-r1', { ifaceId: `${MARKER}-1` })));
    expect(r).toMatchObject({ ok: false, errorCode: 'OVSDB_REFUSED' });
    expect(r.error).toMatch(/dropped the connection twice on the binding of port vf-r1/);
    // Once on the first attempt and once on the retry that confirms it, never again.
    expect(proxy.refused).toBe(2);
    expect(store.appliedCommand('c2')).toMatchObject({ ok: false, errorCode: 'OVSDB_REFUSED' });
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['vf-ok']);
    await settled(1500);
    expect(proxy.refused).toBe(2);
    expect(await ports()).toEqual(['vf-ok']);
    // The repeated id is answered from the store, without touching OVSDB.
    expect(await executor.execute(bind('c2', spec('vf-r1', { ifaceId: `${MARKER}-1` })))).toEqual(r);
    expect(proxy.refused).toBe(2);
    // The connection is fine for everything else.
    expect(await executor.execute(bind('c3', spec('vf-ok2')))).toMatchObject({ ok: true });
    expect(await ports()).toEqual(['vf-ok', 'vf-ok2']);
  });

  it('a hand-built command with a NUL is refused before the desired set or OVSDB see it', async () => {
    const connections = proxy.connections;
    const r = await executor.execute(bind('c4', spec('vf-nul', { ifaceId: 'a\u0000b' })));
    expect(r).toMatchObject({ ok: false, errorCode: 'INVALID_PORT' });
    expect(r.error).toBe('invalid port ifaceId: "a\\u0000b" contains the control character U+0000 at index 1');
    const reconcile = await executor.execute({
      id: 'c5',
      kind: 'reconcilePorts',
      reconcilePorts: { ports: [spec('vf-ok'), spec('vf-x', { vmUuid: 'm\u0000' })] },
    });
    expect(reconcile).toMatchObject({ ok: false, errorCode: 'INVALID_PORT' });
    const unbind = await executor.execute({ id: 'c6', kind: 'unbindPort', unbindPort: { name: 'vf\u0000ok' } });
    expect(unbind).toMatchObject({ ok: false, errorCode: 'INVALID_PORT' });
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['vf-ok', 'vf-ok2']);
    expect(proxy.connections).toBe(connections);
    expect(await ports()).toEqual(['vf-ok', 'vf-ok2']);
  });

  it('after a restart, drops stored specs that can never apply (a NUL, a refused one) and settles with the rest bound', async () => {
    await stopAgentSide();
    // What an agent without these checks left behind in its durable desired set.
    const old = AgentStore.open(path.join(dir, 'agent'));
    await old.setDesired({ put: [spec('vf-nul', { ifaceId: 'a\u0000b' }), spec('vf-r2', { ifaceId: `${MARKER}-2` }), spec('vf-new')] });
    await old.close();
    await ovs.vsctl('del-port', 'br-int', 'vf-ok2');
    const refusedBefore = proxy.refused;

    startAgentSide();
    await waitFor(() => Promise.resolve(store.desiredPorts().length === 3), 60_000, 'the reconcile to drop the bad specs');
    await settled(1500);
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['vf-new', 'vf-ok', 'vf-ok2']);
    expect(await ports()).toEqual(['vf-new', 'vf-ok', 'vf-ok2']);
    // The whole set twice, then vf-r2 alone twice.
    expect(proxy.refused - refusedBefore).toBe(4);
  });
});

describe('a change the server answers with an error on its content', () => {
  it('fails permanently and leaves the desired set, on the same connection', async () => {
    const answering = await RefusingOvsdbProxy.start(ovs.sock, MARKER, 'error');
    const client = await OvsdbClient.connect({ remote: answering.unixRemote });
    const store = AgentStore.open(path.join(dir, 'agent-error'));
    try {
      const binder = await PortBinder.create(client, { bridge: 'br-int', applyTimeoutMs: 5000 });
      const executor = new CommandExecutor(store, { binder: () => Promise.resolve(binder) }, 5000, log);
      const r = await executor.execute(bind('e1', spec('vf-e1', { ifaceId: `${MARKER}-e1` })));
      expect(r).toMatchObject({ ok: false, errorCode: 'OVSDB_REFUSED' });
      expect(r.error).toMatch(/constraint violation: simulated refusal/);
      expect(store.appliedCommand('e1')).toMatchObject({ errorCode: 'OVSDB_REFUSED' });
      expect(store.desiredPorts().map((p) => p.name)).not.toContain('vf-e1');
      expect(answering.refused).toBe(1);
      expect(answering.connections).toBe(1);
      expect(client.state).toBe('connected');
    } finally {
      client.close();
      await store.close();
      await answering.stop();
    }
  });
});
