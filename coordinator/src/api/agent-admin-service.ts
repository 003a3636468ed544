// gRPC handlers of mooring.v1.AgentAdminService (bearer tokens): enrollment tokens, the agent
// list, revocation, and port commands carried out by an agent.
import { z } from 'zod';
import type {
  AgentAdminServiceHandlers,
  AgentCommandResponse__Output,
  AgentInfo__Output,
  CommandResult__Output,
} from '../../../proto/generated/index.js';
import { externalIdProblem, macProblem, normaliseMac, portNameProblem } from '../../../proto/shared/ovs-names.js';
import type { MethodName } from '../../../proto/loader.js';
import type { SriovAdminMethod } from './sriov-admin-service.js';
import { unary, type ApiContext } from './call-handler.js';
import { ovsChecked, requiredMessage } from './request-schemas.js';
import { requireAdmin } from '../tenancy/access.js';
import { fleetOnlyAgentScope, inScope, type AgentScope } from '../tenancy/agent-visibility.js';
import type { AgentRecord, AgentRegistry } from '../agents/agent-registry.js';
import { AGENT_ROLES, type EnrollmentTokens } from '../agents/enrollment-tokens.js';
import { AgentCommandFailedError, AgentNotFoundError } from '../agents/errors.js';
import type { LiveSessionView } from '../agents/command-relay.js';
import type { SessionHub } from '../agents/session-hub.js';
import { AGENT_NAME, AGENT_NAME_PROBLEM } from '../agents/smartnic-agents.js';

const agentName = z.string().regex(AGENT_NAME, AGENT_NAME_PROBLEM);
// The agent checks the same rules again; checking here answers INVALID_ARGUMENT naming the field
// before any command is queued for the agent.
const portName = ovsChecked(portNameProblem);
const portSpec = z.object({
  name: portName,
  ifaceId: ovsChecked(externalIdProblem),
  mac: ovsChecked(macProblem).transform(normaliseMac),
  vmUuid: ovsChecked(externalIdProblem),
});
const timeout = (def: number) =>
  z
    .number()
    .int()
    .min(0)
    .max(3600)
    .transform((s) => (s === 0 ? def : s) * 1000);

const schemas = {
  createToken: z.object({
    name: agentName,
    role: z.union([z.literal(''), z.enum(AGENT_ROLES)]).transform((r) => r || 'smartnic'),
    ttlSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .transform((s) => (s === 0 ? 3600 : s) * 1000),
  }),
  list: z.object({
    pageSize: z
      .number()
      .int()
      .min(0)
      .transform((n) => Math.min(n || AGENT_PAGE_DEFAULT, AGENT_PAGE_MAX)),
    pageToken: z.union([z.literal(''), agentName]),
  }),
  get: z.object({ name: agentName }),
  bind: z.object({
    agent: agentName,
    port: requiredMessage(portSpec),
    timeoutSeconds: timeout(120),
  }),
  unbind: z.object({ agent: agentName, port: portName, timeoutSeconds: timeout(120) }),
};

// ListAgents pages (agent.proto ListAgentsRequest): 8,500 agents with their inventories passed
// gRPC's 4 MiB reply limit in one reply. A page also ends once its agents' JSON passes 2 MiB;
// their protobuf encoding is smaller (no field names, no quoting), so even a page of agents with
// large inventories and reports fits.
const AGENT_PAGE_DEFAULT = 500;
const AGENT_PAGE_MAX = 1000;
const AGENT_PAGE_BYTES = 2 * 1024 * 1024;

const iso = (ms: number | null | undefined): string => (ms ? new Date(ms).toISOString() : '');

/** Where GetAgent learns what another coordinator knows live of a session it holds (ha/agent-presence.ts). */
export interface PeerSessions {
  sessionView(agentId: string): Promise<LiveSessionView | null>;
}

/** `live`: the session's view from the coordinator holding it, when that is not this one. */
export function agentInfo(a: AgentRecord, hub: SessionHub, live: LiveSessionView | null = hub.session(a.id) ?? null): AgentInfo__Output {
  return {
    id: a.id,
    role: a.role,
    state: a.state,
    stateReason: a.stateReason,
    stateChangedAt: iso(a.stateChangedAt),
    epoch: a.epoch,
    lastHeartbeatAt: iso(live?.lastHeartbeatAt),
    version: a.version,
    inventory: a.inventory,
    report: live?.report ?? null,
    enrolledAt: iso(a.enrolledAt),
    revoked: a.revokedAt !== null,
    certNotAfter: iso(a.certNotAfter),
    ovnReported: a.ovn != null,
    ovnRemote: a.ovn?.remote ?? '',
    ovnChassis: a.ovn?.chassis ?? '',
  };
}

function commandResponse(agent: string, r: CommandResult__Output): AgentCommandResponse__Output {
  if (!r.ok) throw new AgentCommandFailedError(agent, r.commandId, r.errorCode, r.error);
  return { commandId: r.commandId, ports: r.ports };
}

export function agentAdminService(
  ctx: ApiContext,
  deps: { tokens: EnrollmentTokens; registry: AgentRegistry; hub: SessionHub; peers?: PeerSessions; scope?: AgentScope },
): Pick<AgentAdminServiceHandlers, Exclude<MethodName<'AgentAdminService'>, SriovAdminMethod | 'ListCoordinators'>> {
  const { tokens, registry, hub } = deps;
  // Members read only the agents of their own machines (tenancy/agent-visibility.ts).
  const scopeOf = deps.scope ?? fleetOnlyAgentScope;
  return {
    CreateEnrollmentToken: unary(ctx, 'CreateEnrollmentToken', schemas.createToken, async (principal, input) => {
      const { token, expiresAt } = await tokens.create(principal, input.name, input.role, input.ttlSeconds);
      return { token, name: input.name, role: input.role, expiresAt: iso(expiresAt) };
    }),
    ListAgents: unary(ctx, 'ListAgents', schemas.list, (principal, input) => {
      const scope = scopeOf(principal);
      const agents: AgentInfo__Output[] = [];
      let bytes = 0;
      for (const record of registry.after(input.pageToken)) {
        if (!inScope(scope, record.id)) continue;
        const info = agentInfo(record, hub);
        bytes += JSON.stringify(info).length;
        if (agents.length === input.pageSize || (agents.length > 0 && bytes > AGENT_PAGE_BYTES)) {
          return { agents, nextPageToken: agents.at(-1)!.id };
        }
        agents.push(info);
      }
      return { agents, nextPageToken: '' };
    }),
    GetAgent: unary(ctx, 'GetAgent', schemas.get, async (principal, input) => {
      if (!inScope(scopeOf(principal), input.name)) throw new AgentNotFoundError(input.name);
      const a = registry.require(input.name);
      // ONLINE without a session here: another coordinator holds it and knows its report.
      const elsewhere = a.state === 'ONLINE' && !hub.session(a.id) && deps.peers ? await deps.peers.sessionView(a.id) : null;
      return elsewhere ? agentInfo(a, hub, elsewhere) : agentInfo(a, hub);
    }),
    RevokeAgent: unary(ctx, 'RevokeAgent', schemas.get, async (principal, input) => {
      const a = await registry.revoke(principal, input.name);
      hub.disconnect(a.id, `agent ${a.id} was revoked by ${principal.user}`);
      return agentInfo(registry.require(a.id), hub);
    }),
    BindPort: unary(ctx, 'BindPort', schemas.bind, async (principal, input) => {
      requireAdmin(principal, 'bind ports through agents');
      registry.admit(input.agent);
      const port = input.port;
      const r = await hub.command(input.agent, { kind: 'bindPort', bindPort: { port } }, input.timeoutSeconds, `bind-port ${port.name}`);
      return commandResponse(input.agent, r);
    }),
    UnbindPort: unary(ctx, 'UnbindPort', schemas.unbind, async (principal, input) => {
      requireAdmin(principal, 'unbind ports through agents');
      registry.admit(input.agent);
      const r = await hub.command(
        input.agent,
        { kind: 'unbindPort', unbindPort: { name: input.port } },
        input.timeoutSeconds,
        `unbind-port ${input.port}`,
      );
      return commandResponse(input.agent, r);
    }),
  };
}
