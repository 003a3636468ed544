// What a bound port is: its name on the bridge and the external_ids that tell the rest of the
// world (Neutron-style consumers, ovs-vsctl users) which VM or machine it belongs to.

import { mapToRecord } from '../ovsdb/encoding.js';
import type { InterfaceRow, PortRow } from '../ovsdb/rows.js';
import { InvalidPortSpecError } from './errors.js';

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

const NAME_RE = /^[^\s/:]{1,15}$/; // Linux IFNAMSIZ-1, no slash, whitespace or colon
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Checks and normalises a spec; throws InvalidPortSpecError naming the field. */
export function normalisePortSpec(spec: PortSpec): PortSpec {
  if (typeof spec.name !== 'string' || !NAME_RE.test(spec.name)) {
    throw new InvalidPortSpecError('name', `${JSON.stringify(spec.name)} must be 1-15 characters without whitespace, '/' or ':'`);
  }
  const mac = typeof spec.mac === 'string' ? spec.mac.toLowerCase() : '';
  if (!MAC_RE.test(mac)) throw new InvalidPortSpecError('mac', `${JSON.stringify(spec.mac)} is not a MAC address like 52:54:00:12:34:56`);
  for (const field of ['ifaceId', 'vmUuid'] as const) {
    const v = spec[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > 255) throw new InvalidPortSpecError(field, 'must be a non-empty string of at most 255 characters');
  }
  return { name: spec.name, ifaceId: spec.ifaceId, mac, vmUuid: spec.vmUuid };
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
