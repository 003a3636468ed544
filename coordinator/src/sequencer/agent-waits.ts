// Event-driven waits on agent sessions for the sequencer, wherever the session is: open on this
// coordinator or, on a shared store, on another live one (ha/agent-reach.ts). Resolved by the
// reach's change events (a session here, an agent record put by any coordinator, a coordinator
// joining), never by polling, always bounded.
import type { AgentReach } from '../ha/agent-reach.js';
import { SequenceTimeoutError } from './errors.js';

/**
 * Resolves with the epoch once `agentId` has a live session (here or on another coordinator) with
 * an epoch above `afterEpoch` (-1: any session). Rejects with SequenceTimeoutError after timeoutMs.
 * Never settles once the reach is closed (the coordinator is stopping; the step resumes at its next start).
 */
export function waitForSession(reach: AgentReach, agentId: string, afterEpoch: number, timeoutMs: number): Promise<number> {
  const current = (): number | undefined => {
    const epoch = reach.session(agentId)?.epoch;
    return epoch !== undefined && epoch > afterEpoch ? epoch : undefined;
  };
  if (reach.closed) return new Promise<number>(() => undefined);
  const now = current();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise<number>((resolve, reject) => {
    const end = (): void => {
      clearTimeout(timer);
      stopChanges();
      stopClose();
    };
    const stopChanges = reach.onChange((id) => {
      if (id !== null && id !== agentId) return;
      const epoch = current();
      if (epoch === undefined) return;
      end();
      resolve(epoch);
    });
    const stopClose = reach.onClose(end);
    const timer = setTimeout(() => {
      end();
      const a = reach.record(agentId);
      const seen = a ? `${a.state}, epoch ${a.epoch}` : 'never enrolled';
      const what = afterEpoch >= 0 ? `a session newer than epoch ${afterEpoch}` : 'a session';
      reject(new SequenceTimeoutError(`agent ${agentId} did not open ${what} within ${timeoutMs} ms (it is ${seen})`));
    }, timeoutMs);
    timer.unref();
  });
}
