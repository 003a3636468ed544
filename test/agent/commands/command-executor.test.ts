// The agent's command executor against real OVS and a real LMDB store: idempotency by id, the
// desired state written before OVS is touched, permanent failures stored, transient ones retried.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { OvsdbClient } from '../../../proto/ovsdb/client.js';
import { PortBinder } from '../../../agent/src/ovs/port-binder.js';
import { AgentStore } from '../../../agent/src/state/agent-store.js';
import { NotConnectedError } from '../../../proto/ovsdb/errors.js';
import { CommandExecutor, type OvsAccess } from '../../../agent/src/commands/command-executor.js';
import type { AgentCommand__Output } from '../../../proto/generated/index.js';

let ovs: OvsInstance;
let client: OvsdbClient;
let binder: PortBinder;
let dir: string;
let store: AgentStore;
let available = true;
const log = pino({ level: 'silent' });
const access: OvsAccess = {
  binder: () => (available ? Promise.resolve(binder) : Promise.reject(new NotConnectedError('port change', 'backoff'))),
};
const outcomes: [string, boolean, string][] = [];
let executor: CommandExecutor;

const bind = (id: string, name: string, ifaceId = `if-${name}`): AgentCommand__Output => ({
  id,
  kind: 'bindPort',
  bindPort: { port: { name, ifaceId, mac: '52:54:00:00:00:01', vmUuid: 'm-1' } },
});

beforeAll(async () => {
  ovs = await OvsInstance.start({ bridge: 'br-int' });
  client = await OvsdbClient.connect({ remote: ovs.unixRemote });
  binder = await PortBinder.create(client, { bridge: 'br-int', applyTimeoutMs: 5000 });
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-agent-store-'));
  store = AgentStore.open(dir);
  executor = new CommandExecutor(store, access, 1000, log, (kind, ok, code) => outcomes.push([kind, ok, code]));
});

afterAll(async () => {
  client?.close();
  await store?.close();
  await ovs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('CommandExecutor', () => {
  it('binds, records the id, and answers a repeated id from the store without touching OVS', async () => {
    const r = await executor.execute(bind('c1', 'vf1'));
    expect(r).toMatchObject({ commandId: 'c1', ok: true, errorCode: '' });
    expect(r.ports[0]).toMatchObject({ spec: { name: 'vf1', ifaceId: 'if-vf1' }, state: 'active' });
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['vf1']);
    // Someone removes the port behind our back; a repeated c1 must not re-apply it.
    await ovs.vsctl('del-port', 'br-int', 'vf1');
    const again = await executor.execute(bind('c1', 'vf1'));
    expect(again).toEqual(r);
    expect(await ovs.vsctl('list-ports', 'br-int')).toBe('');
    // ...but a reconcile restores the desired state.
    await executor.reconcile();
    expect(await ovs.vsctl('list-ports', 'br-int')).toBe('vf1');
  });

  it('runs commands one at a time, in order', async () => {
    const results = await Promise.all([
      executor.execute(bind('c2', 'vf2')),
      executor.execute({ id: 'c3', kind: 'unbindPort', unbindPort: { name: 'vf2' } }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(await ovs.vsctl('list-ports', 'br-int')).toBe('vf1');
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['vf1']);
  });

  it('stores permanent failures (same answer on repeat) and rolls the desired state back', async () => {
    await ovs.vsctl('add-port', 'br-int', 'theirs');
    const r = await executor.execute(bind('c4', 'theirs'));
    expect(r).toMatchObject({ ok: false, errorCode: 'PORT_NOT_OWNED' });
    expect(r.error).toMatch(/not owned by Mooring/);
    expect(store.appliedCommand('c4')).toMatchObject({ ok: false, errorCode: 'PORT_NOT_OWNED' });
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['vf1']);
    const bad = await executor.execute({
      id: 'c5',
      kind: 'bindPort',
      bindPort: { port: { name: 'vf9', ifaceId: 'x', mac: 'nope', vmUuid: 'm' } },
    });
    expect(bad).toMatchObject({ ok: false, errorCode: 'INVALID_PORT' });
    expect(bad.error).toMatch(/invalid port mac/);
    const unknown = await executor.execute({ id: 'c6' });
    expect(unknown).toMatchObject({ ok: false, errorCode: 'UNKNOWN_COMMAND' });
  });

  it('does not store transient failures, so the same id is retried once OVSDB is back', async () => {
    available = false;
    const r = await executor.execute(bind('c7', 'vf7'));
    expect(r).toMatchObject({ ok: false, errorCode: 'OVSDB_UNAVAILABLE' });
    expect(store.appliedCommand('c7')).toBeUndefined();
    // The desired state already holds vf7, so a restart's reconcile would finish the work.
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['vf1', 'vf7']);
    available = true;
    const retry = await executor.execute(bind('c7', 'vf7'));
    expect(retry.ok).toBe(true);
    expect((await ovs.vsctl('list-ports', 'br-int')).split('\n')).toEqual(['theirs', 'vf1', 'vf7']);
  });

  it('reconcile-ports replaces the desired set and makes OVS match it', async () => {
    const r = await executor.execute({
      id: 'c8',
      kind: 'reconcilePorts',
      reconcilePorts: { ports: [{ name: 'vf8', ifaceId: 'if-8', mac: '52:54:00:00:00:08', vmUuid: 'm-8' }] },
    });
    expect(r.ok).toBe(true);
    expect((await ovs.vsctl('list-ports', 'br-int')).split('\n')).toEqual(['theirs', 'vf8']);
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['vf8']);
    expect(outcomes.filter(([, ok]) => ok).length).toBeGreaterThanOrEqual(4);
  });

  it('keeps its state across a reopen of the store (a restarted agent)', async () => {
    await store.close();
    store = AgentStore.open(dir);
    expect(store.desiredPorts().map((p) => p.name)).toEqual(['vf8']);
    expect(store.appliedCommand('c1')?.ok).toBe(true);
    expect(store.appliedCommand('c7')?.ok).toBe(true);
  });
});
