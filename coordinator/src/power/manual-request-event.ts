// A manual-power machine needs an operator: the request goes into the event log, where the
// console and `moorctl events` show it.
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { ManualRequest } from './manual-driver.js';

/** An operator must act on a manual-power machine: say so in the event log. */
export function recordManualRequest(store: Store, events: EventLog, logger: Logger, request: ManualRequest): void {
  store
    .write((scope) =>
      events.append(scope, {
        actor: 'system',
        kind: 'power.manual-request',
        machineId: request.machineId,
        why: request.instruction,
        details: { action: request.action },
      }),
    )
    .catch((error: unknown) => logger.error({ err: error }, 'could not record a manual power request'));
}
