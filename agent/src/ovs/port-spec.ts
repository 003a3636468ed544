// What a bound port is: its name on the bridge and the external_ids that tell the rest of the
// world (Neutron-style consumers, ovs-vsctl users) which VM or machine it belongs to.

import { mapToRecord } from '../../../proto/ovsdb/encoding.js';
import type { InterfaceRow, PortRow } from '../../../proto/ovsdb/rows.js';
import { InvalidPortSpecError } from './errors.js';
import { normaliseMac, portNameProblem, portSpecProblem } from '../../../proto/shared/ovs-names.js';

/** Marks ports Mooring created; ports without it are never changed or removed. */
export const OWNED_KEY = 'mooring-owned';

export interface PortSpec {
  /** Port and interface name on the bridge (the netdev, e.g. a representor such as pf0vf3). */
  name: string;
  ifaceId: string;
  /** attached-mac, lower-case colon form. */
  mac: string;
  vmUuid: string;
}

export type PortState = 'active' | 'pending' | 'error';

export interface PortStatus extends PortSpec {
  owned: boolean;
  state: PortState;
  ofport: number | null;
  error: string | null;
  linkState: string | null;
}

/**
 * Checks and normalises a spec; throws InvalidPortSpecError naming the field. The rules are shared
 * with the coordinator's API (proto/shared/ovs-names.ts): nothing that would make ovsdb-server drop
 * the connection (a NUL, a lone surrogate), no control characters, names that are netdev names.
 */
export function normalisePortSpec(spec: PortSpec): PortSpec {
  const problem = portSpecProblem(spec);
  if (problem) throw new InvalidPortSpecError(problem.field, `${JSON.stringify(spec[problem.field])} ${problem.problem}`);
  return { name: spec.name, ifaceId: spec.ifaceId, mac: normaliseMac(spec.mac), vmUuid: spec.vmUuid };
}

/** Checks a port name given alone (unbind); throws InvalidPortSpecError. */
export function checkPortName(name: string): string {
  const problem = portNameProblem(name);
  if (problem) throw new InvalidPortSpecError('name', `${JSON.stringify(name)} ${problem}`);
  return name;
}

/** The Interface external_ids a bound port carries (conventional keys plus the ownership marker). */
export function externalIdsOf(spec: PortSpec): Record<string, string> {
  return {
    'iface-id': spec.ifaceId,
    'iface-status': 'active',
    'attached-mac': spec.mac,
    'vm-uuid': spec.vmUuid,
    [OWNED_KEY]: 'true',
  };
}

export function isOwned(port: PortRow): boolean {
  return port.external_ids.get(OWNED_KEY) === 'true';
}

/** Whether the interface already carries exactly the spec's ids. */
export function idsMatch(iface: InterfaceRow, spec: PortSpec): boolean {
  const have = iface.external_ids;
  return Object.entries(externalIdsOf(spec)).every(([k, v]) => have.get(k) === v);
}

/** active: vswitchd gave it an ofport and reports no error; error: ofport -1; otherwise pending. */
export function stateOf(iface: InterfaceRow | undefined): PortState {
  if (!iface || iface.ofport === null || iface.ofport === 0) return 'pending';
  if (iface.ofport < 0) return 'error';
  return iface.error ? 'error' : 'active';
}

export function statusOf(port: PortRow, iface: InterfaceRow | undefined): PortStatus {
  const ids = iface ? mapToRecord(iface.external_ids) : {};
  return {
    name: port.name,
    ifaceId: ids['iface-id'] ?? '',
    mac: ids['attached-mac'] ?? '',
    vmUuid: ids['vm-uuid'] ?? '',
    owned: isOwned(port),
    state: stateOf(iface),
    ofport: iface?.ofport ?? null,
    error: iface?.error ?? null,
    linkState: iface?.link_state ?? null,
  };
}
