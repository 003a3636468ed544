// Turns "these ports bound, those unbound" into one OVSDB transaction against the current replica.
// Following protocol-facts §1.7 but race-free: Bridge.ports is changed with a mutate (insert or
// delete of named/real UUIDs) instead of ovs-vsctl's verify + whole-set update, and next_cfg is
// incremented and read back in the same transaction so the caller knows which cur_cfg to wait for.
// Port and Interface rows are garbage-collected by ovsdb-server once Bridge.ports drops them.

import { map, namedUuid, set, uuid } from '../../../proto/ovsdb/encoding.js';
import type { Operation } from '../../../proto/ovsdb/client.js';
import type { BridgeRow, InterfaceRow, PortRow } from '../../../proto/ovsdb/rows.js';
import { BridgeMissingError, InvalidPortSpecError, PortNotOwnedError, PortOnOtherBridgeError } from './errors.js';
import { externalIdsOf, idsMatch, isOwned, type PortSpec } from './port-spec.js';

/** Read access to the replica, by name. */
export interface OvsView {
  bridge(name: string): BridgeRow | undefined;
  port(name: string): PortRow | undefined;
  iface(uuid: string): InterfaceRow | undefined;
}

export interface PortPlan {
  ops: Operation[];
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
  /** Index of the select that reads back next_cfg, or -1 when nothing changes. */
  nextCfgIndex: number;
}

export function planPorts(view: OvsView, bridgeName: string, bind: readonly PortSpec[], unbind: readonly string[]): PortPlan {
  const bridge = view.bridge(bridgeName);
  if (!bridge) throw new BridgeMissingError(bridgeName);
  const onBridge = new Set(bridge.ports);
  const plan: PortPlan = { ops: [], added: [], updated: [], removed: [], unchanged: [], nextCfgIndex: -1 };
  const seen = new Set<string>();
  const newPorts: ReturnType<typeof namedUuid>[] = [];
  const goneUuids: string[] = [];

  for (const name of unbind) {
    if (seen.has(name)) throw new InvalidPortSpecError('name', `${name} is named twice`);
    seen.add(name);
    const port = view.port(name);
    if (!port) {
      plan.unchanged.push(name);
      continue;
    }
    if (!isOwned(port)) throw new PortNotOwnedError(name);
    if (!onBridge.has(port._uuid)) throw new PortOnOtherBridgeError(name, bridgeName);
    goneUuids.push(port._uuid);
    plan.removed.push(name);
  }

  bind.forEach((spec, i) => {
    if (seen.has(spec.name)) throw new InvalidPortSpecError('name', `${spec.name} is named twice`);
    seen.add(spec.name);
    const port = view.port(spec.name);
    const ids = externalIdsOf(spec);
    if (!port) {
      const iface = `iface${i}`;
      const p = `port${i}`;
      plan.ops.push({ op: 'insert', table: 'Interface', 'uuid-name': iface, row: { name: spec.name, external_ids: map(ids) } });
      plan.ops.push({
        op: 'insert',
        table: 'Port',
        'uuid-name': p,
        row: { name: spec.name, interfaces: namedUuid(iface), external_ids: map({ 'mooring-owned': 'true' }) },
      });
      newPorts.push(namedUuid(p));
      plan.added.push(spec.name);
      return;
    }
    if (!isOwned(port)) throw new PortNotOwnedError(spec.name);
    if (!onBridge.has(port._uuid)) throw new PortOnOtherBridgeError(spec.name, bridgeName);
    const ifaceUuid = port.interfaces[0];
    const iface = ifaceUuid ? view.iface(ifaceUuid) : undefined;
    if (iface && idsMatch(iface, spec)) {
      plan.unchanged.push(spec.name);
      return;
    }
    if (!ifaceUuid) throw new InvalidPortSpecError('name', `port ${spec.name} has no interface`);
    // Replace only our keys; other external_ids on the interface are left as they are.
    plan.ops.push({
      op: 'mutate',
      table: 'Interface',
      where: [['_uuid', '==', uuid(ifaceUuid)]],
      mutations: [
        ['external_ids', 'delete', set(Object.keys(ids))],
        ['external_ids', 'insert', map(ids)],
      ],
    });
    plan.updated.push(spec.name);
  });

  const where = [['name', '==', bridgeName]];
  if (goneUuids.length > 0) {
    plan.ops.push({ op: 'mutate', table: 'Bridge', where, mutations: [['ports', 'delete', set(goneUuids.map(uuid))]] });
  }
  if (newPorts.length > 0) {
    plan.ops.push({ op: 'mutate', table: 'Bridge', where, mutations: [['ports', 'insert', set(newPorts)]] });
  }
  if (plan.ops.length > 0) {
    // Abort the whole transaction if the bridge went away since the replica last saw it.
    plan.ops.unshift({ op: 'wait', table: 'Bridge', where, columns: ['name'], until: '==', rows: [{ name: bridgeName }], timeout: 0 });
    plan.ops.push({ op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['next_cfg', '+=', 1]] });
    plan.ops.push({ op: 'select', table: 'Open_vSwitch', where: [], columns: ['next_cfg'] });
    plan.nextCfgIndex = plan.ops.length - 1;
  }
  return plan;
}
