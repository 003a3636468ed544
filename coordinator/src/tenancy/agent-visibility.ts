// Which agents a caller may read (ListAgents, GetAgent, GetSriov). Agents are the fleet's
// infrastructure: admins and observers read them all. A member reads only the agents its own
// machines sit behind, while it owns them: the smartNIC agents named on their ports, and the
// agent of the VM host a VM of its runs on. Any other agent answers NOT_FOUND, worded as a
// missing one.
import type { Machine } from '../machines/machine.js';
import { parseInstanceAddress } from '../vmhosts/vm-host.js';
import { seesAll } from './access.js';
import type { Principal } from './user.js';

/** The agents `principal` may read: 'all', or the names of those that are its own. */
export type AgentScope = (principal: Principal) => 'all' | ReadonlySet<string>;

export interface AgentScopeSources {
  /** The machines `user` owns (read from the member index, not a scan of the fleet). */
  readonly ownedBy: (user: string) => Iterable<Machine>;
  /** The agent of the VM host named `host`, if there is one. */
  readonly vmHostAgent: (host: string) => string | undefined;
}

/** Admins and observers read every agent; without sources, members read none. */
export const fleetOnlyAgentScope: AgentScope = (principal) => (seesAll(principal) ? 'all' : new Set());

export function agentScope(sources: AgentScopeSources): AgentScope {
  return (principal) => {
    if (seesAll(principal)) return 'all';
    const agents = new Set<string>();
    for (const machine of sources.ownedBy(principal.user)) {
      if (machine.owner !== principal.user) continue;
      for (const port of machine.ports) if (port.isSmartNic && port.smartNicAgentId) agents.add(port.smartNicAgentId);
      const vm = machine.power.driver === 'lxd' ? parseInstanceAddress(machine.power.address) : null;
      const hostAgent = vm ? sources.vmHostAgent(vm.host) : undefined;
      if (hostAgent) agents.add(hostAgent);
    }
    return agents;
  };
}

export function inScope(scope: 'all' | ReadonlySet<string>, agent: string): boolean {
  return scope === 'all' || scope.has(agent);
}
