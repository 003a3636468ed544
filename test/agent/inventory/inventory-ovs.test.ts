// OVS version and bridges from a real ovsdb-server + ovs-vswitchd, read through PortBinder's replica.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { OvsdbClient } from '../../../proto/ovsdb/client.js';
import { PortBinder } from '../../../agent/src/ovs/port-binder.js';
import { collectInventory } from '../../../agent/src/inventory/inventory.js';
import { readOvsInventory } from '../../../agent/src/inventory/ovs-inventory.js';

let ovs: OvsInstance;
let client: OvsdbClient;
let binder: PortBinder;
let version: string;

beforeAll(async () => {
  ovs = await OvsInstance.start({ bridge: 'br-ex' });
  // ovs-ctl records the daemon's version in Open_vSwitch.ovs_version at start; do the same.
  const { stdout } = await promisify(execFile)('ovs-vswitchd', ['--version']);
  version = /\(Open vSwitch\) (\S+)/.exec(stdout)![1]!;
  await ovs.vsctl('set', 'Open_vSwitch', '.', `ovs_version=${version}`);
  client = await OvsdbClient.connect({ remote: ovs.unixRemote });
  binder = await PortBinder.create(client, { bridge: 'br-int', datapathType: 'netdev', applyTimeoutMs: 5000 });
  await binder.ensureBridge();
});

afterAll(async () => {
  client?.close();
  await ovs?.stop();
});

describe('inventory of OVS', () => {
  it('reads ovs_version and every bridge from the replica', () => {
    expect(readOvsInventory(binder.replicaMonitor.replica)).toEqual({ version, bridges: ['br-ex', 'br-int'] });
  });

  it('is part of the collected inventory', async () => {
    const inv = await collectInventory({ role: 'smartnic', ovs: binder.replicaMonitor.replica });
    expect(inv.ovs).toEqual({ version, bridges: ['br-ex', 'br-int'] });
    expect(inv.failures.filter((f) => f.source === 'ovs')).toEqual([]);
  });

  it('reports a null version where nothing set ovs_version', async () => {
    await ovs.vsctl('clear', 'Open_vSwitch', '.', 'ovs_version');
    // Wait on the replica, not the clock: the monitor update arrives after the transaction.
    const monitor = binder.replicaMonitor;
    while (readOvsInventory(monitor.replica).version !== null) await new Promise((r) => monitor.once('update', r));
    expect(readOvsInventory(monitor.replica)).toEqual({ version: null, bridges: ['br-ex', 'br-int'] });
    // The collected inventory asks the local ovs-vswitchd binary instead, or says null without one.
    const inv = await collectInventory({ role: 'smartnic', ovs: monitor.replica });
    expect(inv.ovs).toEqual({ version, bridges: ['br-ex', 'br-int'] });
    const none = await collectInventory({ role: 'smartnic', ovs: monitor.replica, vswitchdBinary: '/nonexistent/ovs-vswitchd' });
    expect(none.ovs).toEqual({ version: null, bridges: ['br-ex', 'br-int'] });
  });
});
