// The ports every contender binds: the same names and external_ids for all, so the daemons do the
// same work whoever talks to them. Names stay within IFNAMSIZ-1 (15 characters).

import type { PortSpec } from '../../agent/src/ovs/port-spec.js';

export const BRIDGE = 'br-int';

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Port i (0-based): name bp<i>, a Neutron-style iface-id, a locally administered MAC, a VM UUID. */
export function portSpec(i: number): PortSpec {
  return {
    name: `bp${i}`,
    ifaceId: `6f1c2a3e-0000-4000-8000-${hex(i, 12)}`,
    mac: `52:54:00:${hex((i >> 16) & 0xff, 2)}:${hex((i >> 8) & 0xff, 2)}:${hex(i & 0xff, 2)}`,
    vmUuid: `0b7d9e24-0000-4000-8000-${hex(i, 12)}`,
  };
}

/** Ports start .. start+count-1. */
export function portSpecs(start: number, count: number): PortSpec[] {
  return Array.from({ length: count }, (_, i) => portSpec(start + i));
}
