// The AgentStatus a daemon starts its StatusBoard with, taken from its configuration: nothing is
// connected yet, the link is disabled when no coordinator is configured, and no ports are known.

import type { AgentConfig } from '../config/agent-config.js';
import type { AgentStatus } from './status-board.js';

export interface InitialStatusInput {
  /** The agent id from its certificate, or null before enrollment. */
  agentId: string | null;
  version: string;
  /** Default: now. */
  startedAt?: Date;
}

export function initialAgentStatus(config: AgentConfig, input: InitialStatusInput): AgentStatus {
  return {
    agentId: input.agentId,
    version: input.version,
    role: config.role,
    coordinator: {
      address: config.coordinator?.address ?? null,
      state: config.coordinator ? 'connecting' : 'disabled',
      epoch: null,
      reason: config.coordinator ? null : 'no coordinator configured',
      lastHeartbeatAt: null,
      resumeAt: null,
    },
    ovsdb: {
      remote: config.ovsdb.remote,
      required: ovsdbRequired(config),
      state: 'connecting',
      reason: null,
      bridge: config.bridge,
      ovsVersion: null,
      ovnRemote: '',
      ovnChassis: '',
    },
    ports: [],
    sriov: null,
    lxd: null,
    startedAt: (input.startedAt ?? new Date()).toISOString(),
  };
}

/**
 * Readiness follows what the role and configuration use: a smartNIC agent binds ports on its
 * bridge, so it is not ready without OVSDB; a VM host runs OVS only where its operator set one up,
 * which it says by configuring ovsdbRemote (flag, environment or file). With the default remote a VM
 * host still connects when OVS is there, but is ready without it.
 */
export function ovsdbRequired(config: AgentConfig): boolean {
  return config.role === 'smartnic' || config.sources.ovsdbRemote.kind !== 'default';
}
