// The two contenders, each on its own fresh OVN (central + one chassis), attaching ports one at a
// time: create the LSP, bind the port on the smartNIC's br-int with the LSP name as iface-id, and
// wait until OVN reports the port up.
//
// mooring: OvnNorthbound.attachPort (one NB transaction over the shared OVSDB client), the agent's
//   PortBinder.bind (one OVS transaction, waits for ovs-vswitchd to apply it and give an ofport),
//   then OvnNorthbound.waitPortUp (event-driven from the NB and SB monitors: NB up=true and the
//   SB Port_Binding's chassis known).
// raw: `ovn-nbctl --wait=hv lsp-add SW LSP -- lsp-set-addresses LSP MAC`, `ovs-vsctl add-port br-int
//   PORT -- set Interface PORT external_ids:iface-id=LSP` (waits for ovs-vswitchd like the binder),
//   then `ovn-nbctl wait-until Logical_Switch_Port LSP up=true`.

import { OvsdbClient } from '../../proto/ovsdb/client.js';
import { PortBinder } from '../../agent/src/ovs/port-binder.js';
import { OvnNorthbound } from '../../coordinator/src/ovn/ovn-northbound.js';
import { switchName } from '../../coordinator/src/ovn/names.js';
import { OvnCentral, type OvnChassis } from '../../test/harness/ovn.js';
import { NETWORK_ID, benchPort } from './ports.js';

export type ContenderId = 'mooring' | 'raw';

export const WHAT_EACH_DOES: Record<ContenderId, string> = {
  mooring:
    'OvnNorthbound.attachPort (1 NB transaction) + agent PortBinder.bind (1 OVS transaction, waits for vswitchd) + waitPortUp (NB ' +
    'up and SB chassis, from monitors)',
  raw:
    'ovn-nbctl --wait=hv lsp-add + lsp-set-addresses, ovs-vsctl add-port with iface-id (waits for vswitchd), ovn-nbctl ' +
    'wait-until up=true',
};

const UP_TIMEOUT_MS = 30_000;

export interface Contender {
  /** Attaches ports start..start+count-1, each up before the next; resolves with the wall time in ms. */
  attach(start: number, count: number): Promise<number>;
  /** How many of the attached LSPs NB reports up (checked with ovn-nbctl after the run). */
  verify(count: number): Promise<number>;
  stop(): Promise<void>;
}

async function freshOvn(): Promise<{ central: OvnCentral; chassis: OvnChassis }> {
  const central = await OvnCentral.start();
  try {
    return { central, chassis: await central.addChassis('bench-nic') };
  } catch (err) {
    await central.stop();
    throw err;
  }
}

async function upCount(central: OvnCentral, count: number): Promise<number> {
  const up = await central.nbFind('Logical_Switch_Port', 'name', 'up=true');
  const want = new Set(Array.from({ length: count }, (_, i) => benchPort(i).lspName));
  return up.filter((n) => want.has(n)).length;
}

export async function startMooring(): Promise<Contender> {
  const { central, chassis } = await freshOvn();
  const fabric = OvnNorthbound.create({ remote: central.nbRemote, southbound: { remote: central.sbRemote }, owner: 'bench' });
  const ovs = await OvsdbClient.connect({ remote: chassis.ovs.unixRemote, reconnect: false });
  const binder = await PortBinder.create(ovs, { bridge: 'br-int', applyTimeoutMs: 30_000 });
  await fabric.ready();
  await fabric.ensureNetwork({ id: NETWORK_ID, name: 'bench' });
  return {
    async attach(start, count) {
      const began = performance.now();
      for (let i = start; i < start + count; i++) {
        const p = benchPort(i);
        await fabric.attachPort({
          lspName: p.lspName,
          networkId: NETWORK_ID,
          machineId: p.machineId,
          portId: p.portId,
          mac: p.mac,
          securityGroupIds: [],
        });
        const bound = await binder.bind({ name: p.bridgePort, ifaceId: p.lspName, mac: p.mac, vmUuid: p.machineId });
        if (bound.state !== 'active') throw new Error(`port ${p.bridgePort} is ${bound.state} on the smartNIC`);
        await fabric.waitPortUp(p.lspName, UP_TIMEOUT_MS);
      }
      return performance.now() - began;
    },
    verify: (count) => upCount(central, count),
    async stop() {
      fabric.close();
      ovs.close();
      await central.stop();
    },
  };
}

export async function startRaw(): Promise<Contender> {
  const { central, chassis } = await freshOvn();
  const sw = switchName(NETWORK_ID);
  await central.nbctl('ls-add', sw);
  return {
    async attach(start, count) {
      const began = performance.now();
      for (let i = start; i < start + count; i++) {
        const p = benchPort(i);
        await central.nbctl('--wait=hv', 'lsp-add', sw, p.lspName, '--', 'lsp-set-addresses', p.lspName, p.mac);
        await chassis.ovs.vsctl(
          'add-port',
          'br-int',
          p.bridgePort,
          '--',
          'set',
          'Interface',
          p.bridgePort,
          `external_ids:iface-id=${p.lspName}`,
        );
        await central.nbctl(`--timeout=${UP_TIMEOUT_MS / 1000}`, 'wait-until', 'Logical_Switch_Port', p.lspName, 'up=true');
      }
      return performance.now() - began;
    },
    verify: (count) => upCount(central, count),
    stop: () => central.stop(),
  };
}

export function startContender(id: ContenderId): Promise<Contender> {
  return id === 'mooring' ? startMooring() : startRaw();
}
