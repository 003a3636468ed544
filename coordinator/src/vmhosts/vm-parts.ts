// The VM side of a coordinator, built before the power drivers (the lxd driver reaches instances
// through the composer): the LXD link to the hosts' agents, the machines that stand for
// instances, composes in flight, the VM host registry and the composer.
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { SessionHub } from '../agents/session-hub.js';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { AgentReach } from '../ha/agent-reach.js';
import type { Logger } from '../logger.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import type { Store } from '../store/store.js';
import type { PoolRegistry } from '../tenancy/pool-registry.js';
import { InstanceMachines } from './instance-machines.js';
import { LXD_COMMAND_DEADLINE_MS, LxdLink } from './lxd-link.js';
import { PendingComposes } from './pending-composes.js';
import { VmComposer } from './vm-composer.js';
import { VmHostRegistry } from './vm-host-registry.js';

export interface VmPartsDeps {
  readonly store: Store;
  readonly agents: AgentRegistry;
  readonly sessions: SessionHub;
  readonly reach: AgentReach;
  readonly writer: MachineWriter;
  readonly pools: PoolRegistry;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface VmParts {
  readonly vmHosts: VmHostRegistry;
  readonly vms: VmComposer;
  readonly pending: PendingComposes;
}

export function vmParts({ store, agents, sessions, reach, writer, pools, events, clock, logger }: VmPartsDeps): VmParts {
  const link = new LxdLink({ hub: sessions, reach, deadlineMs: LXD_COMMAND_DEADLINE_MS });
  const machines = new InstanceMachines({ tables: store.tables, writer, poolExists: (pool) => pools.get(pool) !== undefined, clock });
  const pending = new PendingComposes();
  const vmHosts = new VmHostRegistry({
    store,
    agents,
    hub: sessions,
    link,
    machines,
    pending,
    pools,
    events,
    clock,
    logger: logger.child({ component: 'vmhosts' }),
  });
  const vms = new VmComposer({ store, agents, link, machines, pending, hosts: vmHosts, writer });
  return { vmHosts, vms, pending };
}
