// The agent's current status in one place: every component writes its part here, and the status
// endpoint, the readiness notification and the metrics read it. A change event carries the whole
// new snapshot so a websocket subscriber never has to merge partial updates.

import { EventEmitter } from 'node:events';
import type { LxdReport__Output, SriovReport__Output } from '../../../proto/generated/index.js';
import type { PortStatus } from '../ovs/port-spec.js';

export type LinkState = 'disabled' | 'enrolling' | 'connecting' | 'online' | 'backoff' | 'refused';
export type OvsdbState = 'connecting' | 'connected' | 'backoff' | 'closed';

export interface AgentStatus {
  agentId: string | null;
  version: string;
  role: 'smartnic' | 'vmhost';
  coordinator: {
    address: string | null;
    state: LinkState;
    epoch: number | null;
    /** Why the link is not online (last error), if it is not. */
    reason: string | null;
    lastHeartbeatAt: string | null;
    /**
     * The configured entry (HOST:PORT as written) the agent starts at after a restart: the last one
     * that welcomed it, shown once it is stored (null: none yet).
     */
    resumeAt: string | null;
  };
  ovsdb: {
    remote: string;
    /**
     * Whether readiness waits for OVSDB: always on a smartNIC (it binds ports on the bridge); on a
     * VM host only when an OVSDB remote is configured (LXD attaches its NICs without the agent).
     */
    required: boolean;
    state: OvsdbState;
    reason: string | null;
    bridge: string;
    ovsVersion: string | null;
    /** ovn-controller's settings in Open_vSwitch external_ids ("" when unset). */
    ovnRemote: string;
    ovnChassis: string;
  };
  ports: PortStatus[];
  /** SR-IOV PFs, VFs, representors and smartNIC mode; null until first read. */
  sriov: SriovReport__Output | null;
  /** VM hosts: the LXD report (null on smartNIC agents). */
  lxd: LxdReport__Output | null;
  startedAt: string;
}

export interface Readiness {
  ready: boolean;
  /** Why not ready; empty when ready. */
  reasons: string[];
}

export interface StatusBoardEvents {
  change: [status: AgentStatus];
}

export class StatusBoard extends EventEmitter<StatusBoardEvents> {
  private current: AgentStatus;

  constructor(initial: AgentStatus) {
    super();
    this.current = initial;
  }

  get snapshot(): AgentStatus {
    return this.current;
  }

  /** Replaces parts of the status; emits change only when something differs. */
  update(patch: (s: AgentStatus) => AgentStatus): void {
    const next = patch(this.current);
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    this.emit('change', next);
  }

  /** /readyz: ready only while the coordinator session is online and OVSDB, where required, is connected. */
  readiness(): Readiness {
    const s = this.current;
    const reasons: string[] = [];
    if (s.ovsdb.required && s.ovsdb.state !== 'connected')
      reasons.push(`ovsdb ${s.ovsdb.remote} is ${s.ovsdb.state}${s.ovsdb.reason ? `: ${s.ovsdb.reason}` : ''}`);
    if (s.coordinator.state !== 'online') {
      reasons.push(`coordinator session is ${s.coordinator.state}${s.coordinator.reason ? `: ${s.coordinator.reason}` : ''}`);
    }
    return { ready: reasons.length === 0, reasons };
  }
}
