// Whether a port may name a smartNIC agent: the agent is enrolled with the smartnic role and not
// revoked, or an admin has announced it with an enrollment token it has not used yet (a smartNIC
// often enrolls only once its host is first powered on, after the machine was enlisted). A port
// naming anything else could never be bound: the BIOS-halt sequence would wait for a session
// that no agent can open.
import type { Tables } from '../store/tables.js';
import type { AgentRecord } from './agent-registry.js';
import type { EnrollmentTokenRecord } from './enrollment-tokens.js';

/** What agent names look like (an agent's certificate subject and its --name). */
export const AGENT_NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;
export const AGENT_NAME_PROBLEM = 'must be an agent name: lowercase letters, digits, . or -, at most 63 characters';

/** Why `id` cannot be a port's smartNIC agent at time `now`, or null. Read inside the caller's transaction. */
export function smartNicAgentProblem(tables: Pick<Tables, 'agents' | 'enrollmentTokens'>, id: string, now: number): string | null {
  if (!AGENT_NAME.test(id)) return AGENT_NAME_PROBLEM;
  const agent = tables.agents.get(id) as AgentRecord | undefined;
  if (agent && agent.role !== 'smartnic') return `agent ${id} is a ${agent.role} agent, not a smartNIC agent`;
  if (agent && agent.revokedAt === null) return null;
  for (const { value } of tables.enrollmentTokens.getRange()) {
    const token = value as EnrollmentTokenRecord;
    if (token.agentName === id && token.role === 'smartnic' && token.usedAt === null && token.expiresAt > now) return null;
  }
  if (agent) return `agent ${id} was revoked; create a new enrollment token for it first`;
  return `no agent ${id} is enrolled or announced; create its enrollment token first (moorctl agent token create --name ${id})`;
}
