// LXD commands to a VM host's agent over its session (agent.proto AgentCommand kinds 10-15), and
// the LXD parts of what the agent sends back. One place turns a failed CommandResult into a typed
// error carrying LXD's own message.
import type {
  AgentCommand__Output,
  AgentReport__Output,
  LxdAssignProject__Output,
  LxdCompose__Output,
  LxdDelete__Output,
  LxdInstance__Output,
  LxdPower__Output,
  LxdRelease__Output,
  LxdReport__Output,
} from '../../../proto/generated/index.js';
import type { SessionHub } from '../agents/session-hub.js';
import type { AgentReach } from '../ha/agent-reach.js';
import { AgentNotOnlineError, LxdCommandFailedError } from './errors.js';

/** The LXD command bodies, by the name of their oneof member in AgentCommand. */
export type LxdCommand =
  | { kind: 'lxdAssignProject'; lxdAssignProject: LxdAssignProject__Output }
  | { kind: 'lxdRefresh'; lxdRefresh: Record<string, never> }
  | { kind: 'lxdCompose'; lxdCompose: LxdCompose__Output }
  | { kind: 'lxdPower'; lxdPower: LxdPower__Output }
  | { kind: 'lxdDelete'; lxdDelete: LxdDelete__Output }
  | { kind: 'lxdRelease'; lxdRelease: LxdRelease__Output };

/** AgentReport.lxd (field 7). */
export function lxdReportOf(report: AgentReport__Output): LxdReport__Output | null {
  return report.lxd ?? null;
}

/** How long an LXD command may take, delivery included (composing unpacks an image). */
export const LXD_COMMAND_DEADLINE_MS = 180_000;

/** What an LXD command answered when it succeeded. */
export interface LxdAnswer {
  readonly report: LxdReport__Output | null;
  readonly instance: LxdInstance__Output | null;
}

export interface LxdLinkDeps {
  readonly hub: SessionHub;
  /** Where the VM host's agent has its session: here, or on another coordinator (the hub relays the command there). */
  readonly reach: AgentReach;
  readonly deadlineMs: number;
}

export class LxdLink {
  constructor(private readonly deps: LxdLinkDeps) {}

  /**
   * Sends `command` to `agent`, waits for its result (up to the deadline) and throws on failure.
   * An agent without a session on any coordinator is refused at once, naming its state: LXD
   * commands are asked for by people waiting on the answer, not queued for an agent that may be
   * gone for good. One whose session is on another coordinator gets it through the command relay.
   */
  async send(agent: string, command: LxdCommand, what: string): Promise<LxdAnswer> {
    const { reach } = this.deps;
    if (!reach.session(agent)) throw new AgentNotOnlineError(agent, reach.record(agent)?.state ?? 'unknown', what);
    const body: Omit<AgentCommand__Output, 'id'> = command;
    const result = await this.deps.hub.command(agent, body, this.deps.deadlineMs, what);
    const lxd = result.lxd ?? null;
    if (!result.ok) throw new LxdCommandFailedError(agent, what, result.errorCode, result.error, lxd?.lxdError ?? '');
    return { report: lxd?.report ?? null, instance: lxd?.instance ?? null };
  }
}
