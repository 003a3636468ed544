// The agent's systemd readiness: READY=1 the first time the StatusBoard says ready (exactly when
// /readyz answers 200: the coordinator session online and OVSDB, where required, connected), and a STATUS= line
// whenever the summary changes, so `systemctl status mooring-agent` shows why it is not ready.

import type { SystemdNotifier } from '../../../proto/shared/sd-notify.js';
import type { AgentStatus, Readiness, StatusBoard } from './status-board.js';

/** The one-line summary systemd shows for the agent. */
export function readinessLine(s: AgentStatus, r: Readiness): string {
  if (!r.ready) return `not ready: ${r.reasons.join('; ')}`;
  const ovs = s.ovsdb.ovsVersion ? ` (Open vSwitch ${s.ovsdb.ovsVersion})` : '';
  const ovsdb =
    s.ovsdb.state === 'connected' ? `ovsdb ${s.ovsdb.remote} connected${ovs}` : `ovsdb ${s.ovsdb.remote} ${s.ovsdb.state} (not required)`;
  const epoch = s.coordinator.epoch === null ? '' : `, epoch ${s.coordinator.epoch}`;
  return `ready: ${ovsdb}; coordinator ${s.coordinator.address ?? ''} online${epoch}; ${s.ports.length} port(s)`;
}

/** Follows the board until the returned function is called. */
export function notifyReadiness(board: StatusBoard, notifier: SystemdNotifier): () => void {
  let last = '';
  const update = (): void => {
    const r = board.readiness();
    const line = readinessLine(board.snapshot, r);
    if (line === last) return;
    last = line;
    if (r.ready) notifier.ready(line);
    else notifier.status(line);
  };
  board.on('change', update);
  update();
  return () => board.off('change', update);
}
