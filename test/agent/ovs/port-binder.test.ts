// Port binding against a real ovsdb-server + ovs-vswitchd (dummy datapath).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { OvsdbClient } from '../../../proto/ovsdb/client.js';
import { PortBinder } from '../../../agent/src/ovs/port-binder.js';
import { ApplyTimeoutError, InvalidPortSpecError, PortNotOwnedError } from '../../../agent/src/ovs/errors.js';
import type { PortSpec } from '../../../agent/src/ovs/port-spec.js';

let ovs: OvsInstance;
let client: OvsdbClient;
let binder: PortBinder;

const spec = (n: number, extra: Partial<PortSpec> = {}): PortSpec => ({
  name: `vf${n}`,
  ifaceId: `port-${n}`,
  mac: `52:54:00:00:00:${n.toString(16).padStart(2, '0')}`,
  vmUuid: `machine-${n}`,
  ...extra,
});

async function vsctlIds(name: string): Promise<string> {
  return ovs.vsctl('get', 'Interface', name, 'external_ids');
}

beforeAll(async () => {
  ovs = await OvsInstance.start();
  client = await OvsdbClient.connect({ remote: ovs.unixRemote });
  binder = await PortBinder.create(client, { bridge: 'br-int', datapathType: 'netdev', applyTimeoutMs: 5000 });
});

afterAll(async () => {
  client?.close();
  await ovs?.stop();
});

describe('PortBinder against real OVS', () => {
  it('creates the integration bridge once, with its datapath type', async () => {
    expect(await binder.ensureBridge()).toBe(true);
    expect(await binder.ensureBridge()).toBe(false);
    expect(await ovs.vsctl('get', 'Bridge', 'br-int', 'datapath_type')).toBe('netdev');
    expect(await ovs.vsctl('list-br')).toBe('br-int');
  });

  it('binds a port and reports it active only once vswitchd applied it', async () => {
    const status = await binder.bind(spec(1));
    expect(status.state).toBe('active');
    expect(status.ofport).toBeGreaterThan(0);
    expect(binder.curCfg).toBeGreaterThanOrEqual(1);
    expect(await ovs.vsctl('list-ports', 'br-int')).toBe('vf1');
    const ids = await vsctlIds('vf1');
    expect(ids).toContain('iface-id=port-1');
    expect(ids).toContain('iface-status=active');
    expect(ids).toContain('attached-mac="52:54:00:00:00:01"');
    expect(ids).toContain('vm-uuid=machine-1');
    expect(ids).toContain('mooring-owned="true"');
    expect(Number(await ovs.vsctl('get', 'Interface', 'vf1', 'ofport'))).toBe(status.ofport);
  });

  it('keeps only the columns the agent reads, though vswitchd fills in many more', async () => {
    // The monitor asks for these columns and no others (rows.ts OVS_MONITOR_SPEC): vswitchd's writes
    // to mac_in_use, type, mtu, statistics and the like are neither sent to the agent nor decoded.
    const port = binder.port('vf1')!;
    const iface = binder.iface(port.interfaces[0]!)!;
    expect(await ovs.vsctl('get', 'Interface', 'vf1', 'mac_in_use')).toMatch(/^"?[0-9a-f]{2}:/);
    expect(Object.keys(iface).sort()).toEqual(['_uuid', 'error', 'external_ids', 'link_state', 'name', 'ofport']);
    expect(Object.keys(port).sort()).toEqual(['_uuid', 'external_ids', 'interfaces', 'name']);
    expect(Object.keys(binder.bridge('br-int')!).sort()).toEqual(['_uuid', 'name', 'ports']);
    const root = [...binder.replicaMonitor.replica.rows('Open_vSwitch')][0]!;
    expect(Object.keys(root).sort()).toEqual(['_uuid', 'cur_cfg', 'external_ids', 'ovs_version']);
  });

  it('changes nothing when the same ids are bound again, and updates changed ids in place', async () => {
    const before = await ovs.vsctl('get', 'Interface', 'vf1', '_uuid');
    const again = await binder.bindMany([spec(1)]);
    expect(again.unchanged).toEqual(['vf1']);
    expect(again.nextCfg).toBeUndefined();
    const updated = await binder.bindMany([spec(1, { ifaceId: 'port-1b', vmUuid: 'machine-1b' })]);
    expect(updated.updated).toEqual(['vf1']);
    expect(await ovs.vsctl('get', 'Interface', 'vf1', '_uuid')).toBe(before);
    const ids = await vsctlIds('vf1');
    expect(ids).toContain('iface-id=port-1b');
    expect(ids).toContain('vm-uuid=machine-1b');
  });

  it('binds and unbinds many ports in one transaction each', async () => {
    const specs = [2, 3, 4, 5].map((n) => spec(n));
    const cfgBefore = binder.curCfg;
    const r = await binder.bindMany(specs);
    expect(r.added).toEqual(['vf2', 'vf3', 'vf4', 'vf5']);
    expect(r.ports.every((p) => p.state === 'active')).toBe(true);
    expect(r.nextCfg).toBe(cfgBefore + 1);
    expect((await ovs.vsctl('list-ports', 'br-int')).split('\n')).toEqual(['vf1', 'vf2', 'vf3', 'vf4', 'vf5']);
    const u = await binder.unbindMany(['vf2', 'vf3']);
    expect(u.removed).toEqual(['vf2', 'vf3']);
    expect(u.nextCfg).toBe(cfgBefore + 2);
    expect((await ovs.vsctl('list-ports', 'br-int')).split('\n')).toEqual(['vf1', 'vf4', 'vf5']);
  });

  it('unbinds a port, and unbinding it again changes nothing', async () => {
    await binder.unbind('vf5');
    expect(await ovs.vsctl('list-ports', 'br-int')).not.toContain('vf5');
    expect(await ovs.vsctl('--if-exists', 'get', 'Interface', 'vf5', 'name')).toBe('');
    const again = await binder.unbindMany(['vf5']);
    expect(again).toMatchObject({ removed: [], unchanged: ['vf5'], nextCfg: undefined });
  });

  it('never touches a port without the ownership marker', async () => {
    await ovs.vsctl('add-port', 'br-int', 'foreign0', '--', 'set', 'Interface', 'foreign0', 'external-ids:iface-id=theirs');
    await expect(binder.unbind('foreign0')).rejects.toBeInstanceOf(PortNotOwnedError);
    await expect(binder.bind(spec(9, { name: 'foreign0' }))).rejects.toThrow(/not owned by Mooring/);
    // A refused batch is refused whole: vf6 must not have been added alongside.
    await expect(binder.bindMany([spec(6), spec(9, { name: 'foreign0' })])).rejects.toBeInstanceOf(PortNotOwnedError);
    expect(await ovs.vsctl('list-ports', 'br-int')).not.toContain('vf6');
    expect(await vsctlIds('foreign0')).toBe('{iface-id=theirs}');
  });

  it('reconciles to a desired set: adds, updates and removes only owned ports that differ', async () => {
    // now: vf1 (port-1b), vf4, foreign0
    const r = await binder.reconcile([spec(1), spec(4), spec(7)]);
    expect(r.added).toEqual(['vf7']);
    expect(r.updated).toEqual(['vf1']);
    expect(r.unchanged).toEqual(['vf4']);
    expect(r.removed).toEqual([]);
    const r2 = await binder.reconcile([spec(7)]);
    expect(r2.removed.sort()).toEqual(['vf1', 'vf4']);
    expect((await ovs.vsctl('list-ports', 'br-int')).split('\n')).toEqual(['foreign0', 'vf7']);
    const r3 = await binder.reconcile([spec(7)]);
    expect(r3.nextCfg).toBeUndefined();
  });

  it('rejects invalid specs naming the field, sending nothing', async () => {
    await expect(binder.bind(spec(8, { mac: 'nope' }))).rejects.toThrow(/invalid port mac/);
    await expect(binder.bind(spec(8, { name: 'a/b' }))).rejects.toBeInstanceOf(InvalidPortSpecError);
    await expect(binder.bind(spec(8, { ifaceId: '' }))).rejects.toThrow(/invalid port ifaceId/);
    await expect(binder.bindMany([spec(8), spec(8)])).rejects.toThrow(/named twice/);
    expect(await ovs.vsctl('list-ports', 'br-int')).not.toContain('vf8');
  });

  it('times out with a clear error when ovs-vswitchd is stopped, and says the change is committed', async () => {
    await ovs.stopVswitchd();
    const fast = await PortBinder.create(client, { bridge: 'br-int', applyTimeoutMs: 700 });
    const err = await fast.bind(spec(10)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyTimeoutError);
    const e = err as ApplyTimeoutError;
    expect(e.message).toMatch(/timed out after 700 ms waiting for port vf10 to become active/);
    expect(e.message).toMatch(/committed to OVSDB \(next_cfg \d+\) but ovs-vswitchd applied only up to cur_cfg \d+/);
    expect(e.nextCfg).toBeGreaterThan(e.curCfg);
    // Truthful: the port is in the database, without an ofport.
    expect(await ovs.vsctl('--no-wait', 'list-ports', 'br-int')).toContain('vf10');
    await ovs.startVswitchd();
    // Once vswitchd is back, binding the same port again finds it and waits for it to become active.
    const status = await binder.bind(spec(10));
    expect(status.state).toBe('active');
  });
});
