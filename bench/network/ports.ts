// The ports both contenders attach: the same LSP names (UUID-shaped, as Mooring names them), MACs
// and bridge port names, so OVN and OVS do the same work whoever drives them. Bridge port names stay
// within IFNAMSIZ-1 (15 characters).

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export interface BenchPort {
  /** The Logical_Switch_Port name, set as the OVS Interface's external_ids:iface-id. */
  readonly lspName: string;
  /** The port on br-int (a representor on a real smartNIC). */
  readonly bridgePort: string;
  readonly mac: string;
  readonly machineId: string;
  readonly portId: string;
}

/** Port i (0-based). */
export function benchPort(i: number): BenchPort {
  return {
    lspName: `5e0c41a2-0000-4000-8000-${hex(i, 12)}`,
    bridgePort: `np${i}`,
    mac: `52:54:01:${hex((i >> 16) & 0xff, 2)}:${hex((i >> 8) & 0xff, 2)}:${hex(i & 0xff, 2)}`,
    machineId: `7a3b0c55-0000-4000-8000-${hex(i, 12)}`,
    portId: `91d2e6f0-0000-4000-8000-${hex(i, 12)}`,
  };
}

export const NETWORK_ID = '3c9e8d10-0000-4000-8000-000000000001';
