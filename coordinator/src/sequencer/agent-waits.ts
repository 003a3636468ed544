// Event-driven waits on agent sessions for the sequencer: resolved by the session hub's "online"
// events (and the registry's current record), never by polling, always bounded.
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { SessionHub } from '../agents/session-hub.js';
import { SequenceTimeoutError } from './errors.js';

/**
 * Resolves with the epoch once `agentId` is ONLINE with a session epoch above `afterEpoch`
 * (-1: any session). Rejects with SequenceTimeoutError after timeoutMs.
 */
export function waitForSession(
  registry: AgentRegistry,
  hub: SessionHub,
  agentId: string,
  afterEpoch: number,
  timeoutMs: number,
): Promise<number> {
  const current = (): number | undefined => {
    const a = registry.get(agentId);
    const live = hub.session(agentId);
    return a && a.state === 'ONLINE' && live && live.epoch > afterEpoch ? live.epoch : undefined;
  };
  const now = current();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise<number>((resolve, reject) => {
    const onOnline = (id: string, epoch: number): void => {
      if (id !== agentId || epoch <= afterEpoch) return;
      clearTimeout(timer);
      hub.off('online', onOnline);
      resolve(epoch);
    };
    const timer = setTimeout(() => {
      hub.off('online', onOnline);
      const a = registry.get(agentId);
      const seen = a ? `${a.state}, epoch ${a.epoch}` : 'never enrolled';
      const what = afterEpoch >= 0 ? `a session newer than epoch ${afterEpoch}` : 'a session';
      reject(new SequenceTimeoutError(`agent ${agentId} did not open ${what} within ${timeoutMs} ms (it is ${seen})`));
    }, timeoutMs);
    timer.unref();
    hub.on('online', onOnline);
  });
}
