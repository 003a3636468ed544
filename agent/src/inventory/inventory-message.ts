// The inventory as the session's hello carries it (agent.proto Inventory).

import type { Inventory__Output } from '../../../proto/generated/index.js';
import type { Inventory } from './inventory.js';

export function inventoryMessage(inv: Inventory): Inventory__Output {
  return {
    cpuModel: inv.cpu.model,
    coresPhysical: inv.cpu.physicalCores ?? 0,
    coresLogical: inv.cpu.logicalCores,
    memoryBytes: inv.memory.totalBytes,
    os: [inv.os.distro, inv.os.release, inv.os.codename ? `(${inv.os.codename})` : null].filter(Boolean).join(' '),
    kernel: inv.os.kernel,
    interfaces: inv.networkInterfaces.map((n) => ({
      name: n.name,
      mac: n.mac ?? '',
      speedMbps: n.speedMbps ?? 0,
      driver: n.driver ?? '',
      pciAddress: n.pciAddress ?? '',
      state: n.operState ?? '',
    })),
    ovsVersion: inv.ovs?.version ?? '',
    bridges: inv.ovs?.bridges ?? [],
    role: inv.role,
    hostname: inv.hostname,
    errors: inv.failures.map((f) => `${f.source}: ${f.error}`),
  };
}
