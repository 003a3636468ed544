// A VM host record written straight into a real coordinator's store, for tests of what the
// coordinator does with LXD reports without an agent (the agent's part is in test/e2e/vmhost*).
import type { Coordinator } from '../../../coordinator/src/coordinator.js';
import type { VmHost } from '../../../coordinator/src/vmhosts/vm-host.js';

export async function putVmHost(coordinator: Coordinator, over: Partial<VmHost> & { name: string }): Promise<VmHost> {
  const host: VmHost = {
    agent: over.name,
    project: 'mooring',
    cpuOvercommit: 1,
    memoryOvercommit: 1,
    pool: 'default',
    zone: 'default',
    arch: 'amd64',
    image: '',
    report: null,
    reportAt: null,
    createdAt: Date.now(),
    updatedAt: Date.now(),
    ...over,
  };
  await coordinator.store.write(() => coordinator.store.tables.vmHosts.putSync(host.name, host));
  return host;
}
