// An agent process linked to one or more coordinators the way the end-to-end tests want it:
// heartbeats every second and a short reconnect cap (liveness and moves noticed within a test),
// optionally on a real OVS with the netdev datapath (no kernel module).
import { AgentProcess } from './agent-process.js';
import type { OvsInstance } from './ovs.js';

export interface LinkedAgentOptions {
  readonly dataDir: string;
  readonly caFile: string;
  readonly name: string;
  /** Coordinator addresses, in the order the agent tries them. */
  readonly coordinators: readonly string[];
  /** An enrollment token (absent: the agent has its certificate already). */
  readonly token?: string;
  /** The OVS its ports go on (absent: no --ovsdb-remote). */
  readonly ovs?: OvsInstance;
  /** Default 1s. */
  readonly reconnectMax?: string;
}

export function startLinkedAgent(o: LinkedAgentOptions): Promise<AgentProcess> {
  return AgentProcess.start({
    dataDir: o.dataDir,
    caFile: o.caFile,
    name: o.name,
    coordinator: o.coordinators.join(','),
    heartbeat: '1s',
    reconnectMax: o.reconnectMax ?? '1s',
    ...(o.token ? { token: o.token } : {}),
    ...(o.ovs ? { ovsdbRemote: o.ovs.unixRemote, datapathType: 'netdev' } : {}),
  });
}
