// The six LXD commands of the agent link (AgentCommand kinds lxd_assign_project .. lxd_release),
// carried out on the LocalLxd. Each answers an LxdResult: the instance it touched and the report.

import type { AgentCommand__Output, LxdResult__Output } from '../../../proto/generated/index.js';
import { LxdInvalidError } from './errors.js';
import type { LocalLxd } from './local-lxd.js';

export const LXD_COMMAND_KINDS = ['lxdAssignProject', 'lxdRefresh', 'lxdCompose', 'lxdPower', 'lxdDelete', 'lxdRelease'] as const;

export function isLxdCommand(kind: string | undefined): boolean {
  return (LXD_COMMAND_KINDS as readonly (string | undefined)[]).includes(kind);
}

const POWER_ACTIONS = ['start', 'stop', 'restart', 'state'] as const;

/**
 * Compose, power and delete answer with the report as it stands (the lifecycle event the change
 * causes publishes a fresh one within a second); assign, refresh and release read LXD anew, all
 * but its hardware scan (/1.0/resources), which is re-read after the answer and published in the
 * next report (LxdReport.resources_read_at says which scan a report carries).
 */
export async function runLxdCommand(host: LocalLxd, cmd: AgentCommand__Output): Promise<LxdResult__Output> {
  switch (cmd.kind) {
    case 'lxdAssignProject': {
      const project = cmd.lxdAssignProject?.project ?? '';
      if (!project) throw new LxdInvalidError('project', 'is required: a VM host is added with an explicit project');
      return { report: await host.assign(project, cmd.lxdAssignProject?.create ?? false), instance: null, lxdError: '' };
    }
    case 'lxdRefresh':
      return { report: await host.refresh(), instance: null, lxdError: '' };
    case 'lxdCompose': {
      if (!cmd.lxdCompose) throw new LxdInvalidError('lxd_compose', 'is empty');
      const instance = await host.compose(cmd.lxdCompose);
      return { report: host.report, instance, lxdError: '' };
    }
    case 'lxdPower': {
      const action = cmd.lxdPower?.action ?? '';
      if (!(POWER_ACTIONS as readonly string[]).includes(action))
        throw new LxdInvalidError('action', `${JSON.stringify(action)} is not one of ${POWER_ACTIONS.join(', ')}`);
      const instance = await host.power(cmd.lxdPower?.name ?? '', action as (typeof POWER_ACTIONS)[number]);
      return { report: host.report, instance, lxdError: '' };
    }
    case 'lxdDelete':
      await host.delete(cmd.lxdDelete?.name ?? '');
      return { report: host.report, instance: null, lxdError: '' };
    case 'lxdRelease':
      return { report: await host.release(cmd.lxdRelease?.deleteInstances ?? false), instance: null, lxdError: '' };
    default:
      throw new LxdInvalidError('kind', `${cmd.kind ?? '(none)'} is not an LXD command`);
  }
}
