// How a sequence ends in the machine's record: DEPLOYED or READY when it finished, FAILED_DEPLOYMENT
// or BROKEN (with the reason) when it failed; a bind or unbind leaves the status and records an event.
import type { EventLog } from '../events/event-log.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import type { Clock } from '../clock.js';
import type { WriteScope } from '../store/store-backend.js';
import type { Store } from '../store/store.js';
import type { SequenceRecord } from './sequence.js';

export interface SequenceEndingDeps {
  readonly store: Store;
  readonly writer: MachineWriter;
  readonly events: EventLog;
  readonly clock: Clock;
}

/** Inside the write that ends the sequence: the machine's last transition. */
export function finishSequence(deps: SequenceEndingDeps, r: SequenceRecord, scope: WriteScope): void {
  const m = deps.writer.table.get(r.machineId);
  if (!m) return;
  const why = `${r.kind} sequence finished in ${deps.clock.now() - r.startedAt} ms`;
  if (r.kind === 'deploy' && m.status === 'DEPLOYING')
    deps.writer.transition(scope, r.actor, m, 'DEPLOYED', 'deploy', why, { statusReason: '' });
  else if (r.kind === 'release' && m.status === 'RELEASING') {
    deps.writer.transition(scope, r.actor, m, 'READY', 'release', why, { owner: null, annotations: {}, statusReason: '' });
  }
}

/** `stepText`: what the failed step tells an operator. */
export async function failSequence(deps: SequenceEndingDeps, r: SequenceRecord, stepText: string): Promise<void> {
  const f = r.failure ?? { step: r.step, reason: 'unknown failure' };
  const reason = `${r.kind} failed at step ${f.step} (${stepText}): ${f.reason}`;
  await deps.store.write((scope) => {
    const m = deps.writer.table.get(r.machineId);
    if (!m) return;
    if (r.kind === 'deploy' && m.status === 'DEPLOYING')
      deps.writer.transition(scope, r.actor, m, 'FAILED_DEPLOYMENT', 'deploy', reason, { statusReason: reason });
    else if (r.kind === 'release' && m.status === 'RELEASING')
      deps.writer.transition(scope, r.actor, m, 'BROKEN', 'release', reason, { statusReason: reason, brokenFrom: 'RELEASING' });
    else
      deps.events.append(scope, {
        actor: r.actor,
        kind: 'sequence.failed',
        machineId: r.machineId,
        why: reason,
        details: { sequence: r.id },
      });
  });
}
