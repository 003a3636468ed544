// AgentAdminService.SetSriov and GetSriov (sriov.proto): an admin stores one PF's desired SR-IOV
// state for an agent and waits for the agent to apply it; anyone who may read agents sees the
// desired state and the agent's last report. Per-VF settings are checked with the same codec the
// agent uses (proto/shared/sriov-settings.ts), so a request the agent would refuse is refused
// here, naming the field, before anything is stored.
import { z } from 'zod';
import { parseVfSettingsMap } from '../../../proto/shared/sriov-settings.js';
import type { AgentAdminServiceHandlers, AgentSriovResponse__Output } from '../../../proto/generated/index.js';
import { unary, type ApiContext } from './call-handler.js';
import { requiredMessage } from './request-schemas.js';
import { fleetOnlyAgentScope, inScope, type AgentScope } from '../tenancy/agent-visibility.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { AgentSriov } from '../agents/agent-sriov.js';
import { AgentCommandFailedError, AgentNotFoundError } from '../agents/errors.js';

const agentName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, 'must be an agent name: lowercase letters, digits, . or -, at most 63 characters');

const vfConfig = z.object({
  vf: z.number().int().min(0).max(0xffff),
  settings: z.record(z.string(), z.string()).superRefine((settings, ctx) => {
    for (const problem of parseVfSettingsMap(settings).problems) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

const pfConfig = z
  .object({
    pf: z.string().regex(/^[^\s/:]{1,15}$/, 'must be a netdev name (1-15 characters, no whitespace, / or :)'),
    numVfs: z.number().int().min(0).max(0xffff),
    eswitchMode: z.enum(['', 'legacy', 'switchdev'], { error: 'must be legacy or switchdev' }),
    autoprobe: z.enum(['', 'on', 'off'], { error: 'must be on or off' }),
    vfs: z.array(vfConfig),
  })
  .superRefine((pf, ctx) => {
    const seen = new Set<number>();
    for (const [i, vf] of pf.vfs.entries()) {
      if (vf.vf >= pf.numVfs)
        ctx.addIssue({ code: 'custom', path: ['vfs', i, 'vf'], message: `VF ${vf.vf} is not below the VF count ${pf.numVfs}` });
      if (seen.has(vf.vf)) ctx.addIssue({ code: 'custom', path: ['vfs', i, 'vf'], message: `VF ${vf.vf} appears more than once` });
      seen.add(vf.vf);
      const legacyOnly = Object.keys(vf.settings).filter((k) => k !== 'mac');
      if (pf.eswitchMode === 'switchdev' && legacyOnly.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['vfs', i, 'settings'],
          message: `${legacyOnly.join(', ')} cannot be set in switchdev mode (only mac)`,
        });
      }
    }
  });

const schemas = {
  set: z.object({
    agent: agentName,
    pf: requiredMessage(pfConfig),
    remove: z.boolean(),
    timeoutSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .transform((s) => (s === 0 ? 120 : s) * 1000),
  }),
  get: z.object({ agent: agentName }),
};

/** The AgentAdminService methods served here; agent-admin-service.ts serves the others. */
export type SriovAdminMethod = 'SetSriov' | 'GetSriov';

export function sriovAdminHandlers(
  ctx: ApiContext,
  deps: { registry: AgentRegistry; sriov: AgentSriov; scope?: AgentScope },
): Pick<AgentAdminServiceHandlers, SriovAdminMethod> {
  const { registry, sriov } = deps;
  const scopeOf = deps.scope ?? fleetOnlyAgentScope;
  return {
    SetSriov: unary(ctx, 'SetSriov', schemas.set, async (principal, input): Promise<AgentSriovResponse__Output> => {
      const desired = await sriov.setPf(principal, input.agent, { pf: input.pf, remove: input.remove });
      const result = await sriov.send(input.agent, desired, input.timeoutSeconds);
      if (!result.ok)
        throw new AgentCommandFailedError(
          input.agent,
          result.commandId,
          result.errorCode,
          `${result.error} (the desired state is stored and is applied again on the agent's next session)`,
        );
      return { agent: input.agent, desired, report: result.sriov?.report ?? sriov.report(input.agent), commandId: result.commandId };
    }),
    GetSriov: unary(ctx, 'GetSriov', schemas.get, (principal, input): AgentSriovResponse__Output => {
      // A member reads only the agents of its own machines, like GetAgent (tenancy/agent-visibility.ts).
      if (!inScope(scopeOf(principal), input.agent)) throw new AgentNotFoundError(input.agent);
      registry.require(input.agent);
      return { agent: input.agent, desired: sriov.desired(input.agent), report: sriov.report(input.agent), commandId: '' };
    }),
  };
}
