// Keeps what each smartNIC agent reports of ovn-controller on its smartNIC (AgentReport
// ovn_remote / ovn_chassis, read from Open_vSwitch external_ids) in the agent's record, so a
// networked deploy can be refused up front even while the agent is away with its host's power.
import type { AgentReport__Output } from '../../../proto/generated/index.js';
import type { Logger } from '../logger.js';
import type { AgentRegistry } from './agent-registry.js';
import type { SessionHub } from './session-hub.js';

/** Follows the agents' reports from now on; returns the function that stops following. */
export function followAgentOvn(hub: SessionHub, registry: AgentRegistry, logger: Logger): () => void {
  const onReport = (agentId: string, report: AgentReport__Output): void => {
    // An agent that has not read OVSDB yet knows nothing of ovn-controller: keep what was stored.
    if (!report.ovsdbConnected) return;
    const ovn = { remote: report.ovnRemote, chassis: report.ovnChassis };
    registry.ovnReported(agentId, ovn).then(
      (changed) => changed && logger.info({ agent: agentId, ...ovn }, 'agent ovn-controller state changed'),
      (error: unknown) => logger.error({ err: error, agent: agentId }, 'storing the agent ovn-controller state failed'),
    );
  };
  hub.on('report', onReport);
  return () => hub.off('report', onReport);
}
