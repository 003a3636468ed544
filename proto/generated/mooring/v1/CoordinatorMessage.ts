// Original file: mooring/v1/agent.proto

import type { Welcome as _mooring_v1_Welcome, Welcome__Output as _mooring_v1_Welcome__Output } from '../../mooring/v1/Welcome.js';
import type { AgentCommand as _mooring_v1_AgentCommand, AgentCommand__Output as _mooring_v1_AgentCommand__Output } from '../../mooring/v1/AgentCommand.js';
import type { HeartbeatAck as _mooring_v1_HeartbeatAck, HeartbeatAck__Output as _mooring_v1_HeartbeatAck__Output } from '../../mooring/v1/HeartbeatAck.js';

export interface CoordinatorMessage {
  'welcome'?: (_mooring_v1_Welcome | null);
  'command'?: (_mooring_v1_AgentCommand | null);
  'heartbeatAck'?: (_mooring_v1_HeartbeatAck | null);
  'body'?: "welcome"|"command"|"heartbeatAck";
}

export interface CoordinatorMessage__Output {
  'welcome'?: (_mooring_v1_Welcome__Output | null);
  'command'?: (_mooring_v1_AgentCommand__Output | null);
  'heartbeatAck'?: (_mooring_v1_HeartbeatAck__Output | null);
  'body'?: "welcome"|"command"|"heartbeatAck";
}
