// AgentAdminService.ListCoordinators (moorctl coordinators): the live coordinators as the registry
// knows them (ha/coordinator-registry.ts), the duties each publishes, and the ONLINE agents the
// store records each as holding. Admins and observers only: the list is about the installation,
// not about anything a member owns, so a member is refused (PERMISSION_DENIED, as for other
// installation-wide calls such as enrollment tokens) rather than shown an empty list.
import { z } from 'zod';
import type { AgentAdminServiceHandlers, CoordinatorInfo__Output } from '../../../proto/generated/index.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { CoordinatorEntry, CoordinatorRegistry } from '../ha/coordinator-registry.js';
import { PermissionDeniedError } from '../tenancy/errors.js';
import { seesAll } from '../tenancy/access.js';
import { unary, type ApiContext } from './call-handler.js';

const listSchema = z.object({ withAgents: z.boolean() });

export interface CoordinatorListDeps {
  readonly coordinators: CoordinatorRegistry;
  readonly agents: AgentRegistry;
}

/** The ONLINE agents each live coordinator holds, by `id lease`. */
function agentsByOwner(agents: AgentRegistry): Map<string, string[]> {
  const byOwner = new Map<string, string[]>();
  for (const a of agents.list()) {
    if (a.state !== 'ONLINE' || !a.owner) continue;
    const key = `${a.owner.coordinator} ${a.owner.lease}`;
    const names = byOwner.get(key) ?? [];
    names.push(a.id);
    byOwner.set(key, names);
  }
  return byOwner;
}

function info(entry: CoordinatorEntry, agents: readonly string[], withAgents: boolean, answering: boolean): CoordinatorInfo__Output {
  return {
    id: entry.id,
    address: entry.address,
    startedAt: entry.startedAt,
    version: entry.version,
    duties: [...entry.duties],
    agentCount: agents.length,
    agents: withAgents ? [...agents] : [],
    answering,
    leaseId: entry.leaseId,
    sessions: entry.agentSessions,
  };
}

export function coordinatorListHandlers(ctx: ApiContext, deps: CoordinatorListDeps): Pick<AgentAdminServiceHandlers, 'ListCoordinators'> {
  return {
    ListCoordinators: unary(ctx, 'ListCoordinators', listSchema, (principal, input) => {
      if (!seesAll(principal)) throw new PermissionDeniedError(principal.user, 'list coordinators');
      const self = deps.coordinators.self;
      const byOwner = agentsByOwner(deps.agents);
      // This coordinator's own entry as it is now (the published copy lags by a moment).
      const live = deps.coordinators.live().map((e) => (e.id === self.id ? self : e));
      if (!live.some((e) => e.id === self.id)) live.push(self);
      live.sort((a, b) => a.id.localeCompare(b.id));
      return {
        coordinators: live.map((e) => info(e, byOwner.get(`${e.id} ${e.leaseId}`) ?? [], input.withAgents, e.id === self.id)),
      };
    }),
  };
}
