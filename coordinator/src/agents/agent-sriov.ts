// Each agent's desired SR-IOV state (issue 7): stored in LMDB (table sriov-desired) with a
// revision that grows on every change and an event, sent to the agent as an AgentCommand
// (sriovConfigure, kind 5) when it changes and again on every new session of the agent, so an
// agent that was away, restarted or lost its disk converges. The agents' latest SR-IOV reports are
// kept from their session reports for `agent sriov show` and the port view.

import type {
  AgentReport__Output,
  CommandResult__Output,
  SriovDesired__Output,
  SriovPfConfig__Output,
  SriovReport__Output,
} from '../../../proto/generated/index.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import type { AgentRegistry } from './agent-registry.js';
import { VfCountAboveLimitError } from './errors.js';
import type { SessionHub } from './session-hub.js';

/** How long a re-send on a new session may wait for the agent's answer. */
const RESEND_DEADLINE_MS = 10 * 60_000;

export interface AgentSriovDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly registry: AgentRegistry;
  readonly hub: SessionHub;
  readonly log: Logger;
}

export class AgentSriov {
  private readonly reports = new Map<string, SriovReport__Output>();

  private readonly onReport = (agentId: string, report: AgentReport__Output): void => {
    if (report.sriov) this.reports.set(agentId, report.sriov);
  };

  private readonly onResult = (agentId: string, result: CommandResult__Output): void => {
    if (result.sriov?.report) this.reports.set(agentId, result.sriov.report);
  };

  private readonly onOnline = (agentId: string, epoch: number): void => this.resend(agentId, epoch);

  constructor(private readonly deps: AgentSriovDeps) {}

  /** Follows the agents' sessions from now on: keeps their reports, re-sends on each new session. */
  start(): void {
    this.deps.hub.on('report', this.onReport);
    this.deps.hub.on('result', this.onResult);
    this.deps.hub.on('online', this.onOnline);
  }

  stop(): void {
    this.deps.hub.off('report', this.onReport);
    this.deps.hub.off('result', this.onResult);
    this.deps.hub.off('online', this.onOnline);
  }

  desired(agentId: string): SriovDesired__Output | null {
    return (this.deps.store.tables.sriovDesired.get(agentId) as SriovDesired__Output | undefined) ?? null;
  }

  /** The agent's last SR-IOV report (from its session), if any. */
  report(agentId: string): SriovReport__Output | null {
    return this.reports.get(agentId) ?? null;
  }

  /**
   * Replaces (or removes) one PF's entry of the agent's desired state; answers the new state. A VF
   * count above the PF's sriov_totalvfs, when the agent has reported the PF, is refused here: stored,
   * it would be sent again on every session of the agent and refused by its kernel every time.
   */
  async setPf(actor: Principal, agentId: string, change: { pf: SriovPfConfig__Output; remove: boolean }): Promise<SriovDesired__Output> {
    requireAdmin(actor, 'set agents’ SR-IOV configuration');
    if (!change.remove) this.checkVfLimit(agentId, change.pf);
    return this.deps.store.write((scope) => {
      this.deps.registry.admit(agentId);
      const before = this.desired(agentId) ?? { revision: 0, pfs: [] };
      const pfs = before.pfs.filter((p) => p.pf !== change.pf.pf);
      if (!change.remove) pfs.push(change.pf);
      const next: SriovDesired__Output = { revision: before.revision + 1, pfs: pfs.sort((a, b) => a.pf.localeCompare(b.pf)) };
      this.deps.store.tables.sriovDesired.putSync(agentId, next);
      const mode = change.pf.eswitchMode ? `, ${change.pf.eswitchMode}` : '';
      const vfSettings = change.pf.vfs.length ? `, ${change.pf.vfs.length} VF settings` : '';
      const what = change.remove ? `removed PF ${change.pf.pf}` : `PF ${change.pf.pf}: ${change.pf.numVfs} VFs${mode}${vfSettings}`;
      this.deps.events.append(scope, {
        actor: actor.user,
        kind: 'agent.sriov-desired',
        why: `agent ${agentId} SR-IOV revision ${next.revision}: ${what}`,
        details: { agent: agentId, revision: String(next.revision), pf: change.pf.pf },
      });
      return next;
    });
  }

  /** Refuses a VF count above the PF's reported limit; a PF the agent has not reported is left to the agent. */
  private checkVfLimit(agentId: string, pf: SriovPfConfig__Output): void {
    const reported = this.report(agentId)?.pfs.find((p) => p.netdev === pf.pf);
    if (reported !== undefined && pf.numVfs > reported.totalVfs)
      throw new VfCountAboveLimitError(agentId, pf.pf, pf.numVfs, reported.totalVfs);
  }

  /** Sends the desired state to the agent and resolves with its result (waits for a session up to deadlineMs). */
  send(agentId: string, desired: SriovDesired__Output, deadlineMs: number): Promise<CommandResult__Output> {
    const epoch = this.deps.hub.session(agentId)?.epoch ?? this.deps.registry.get(agentId)?.epoch ?? 0;
    return this.deps.hub.command(
      agentId,
      { kind: 'sriovConfigure', sriovConfigure: { desired } },
      deadlineMs,
      `SR-IOV revision ${desired.revision}`,
      sriovCommandId(agentId, desired.revision, epoch),
    );
  }

  private resend(agentId: string, epoch: number): void {
    const desired = this.desired(agentId);
    if (desired === null) return;
    this.deps.hub
      .command(
        agentId,
        { kind: 'sriovConfigure', sriovConfigure: { desired } },
        RESEND_DEADLINE_MS,
        `SR-IOV revision ${desired.revision}`,
        sriovCommandId(agentId, desired.revision, epoch),
      )
      .then(
        (r) =>
          this.deps.log.info(
            { agentId, revision: desired.revision, ok: r.ok, errorCode: r.errorCode || undefined, error: r.error || undefined },
            'SR-IOV state re-sent on a new session',
          ),
        (err: unknown) =>
          this.deps.log.warn({ agentId, revision: desired.revision, err: (err as Error).message }, 'SR-IOV state re-send not answered'),
      );
  }
}

/**
 * One id per revision and session: within a session a repeat is answered from the agent's store;
 * a new session reconciles again (writing nothing when the NIC is as desired).
 */
export function sriovCommandId(agentId: string, revision: number, epoch: number): string {
  return `sriov-${agentId}-r${revision}-e${epoch}`;
}
