// Original file: mooring/v1/agent.proto

import type { Hello as _mooring_v1_Hello, Hello__Output as _mooring_v1_Hello__Output } from '../../mooring/v1/Hello.js';
import type { Heartbeat as _mooring_v1_Heartbeat, Heartbeat__Output as _mooring_v1_Heartbeat__Output } from '../../mooring/v1/Heartbeat.js';
import type { AgentReport as _mooring_v1_AgentReport, AgentReport__Output as _mooring_v1_AgentReport__Output } from '../../mooring/v1/AgentReport.js';
import type { CommandResult as _mooring_v1_CommandResult, CommandResult__Output as _mooring_v1_CommandResult__Output } from '../../mooring/v1/CommandResult.js';

export interface AgentMessage {
  'hello'?: (_mooring_v1_Hello | null);
  'heartbeat'?: (_mooring_v1_Heartbeat | null);
  'report'?: (_mooring_v1_AgentReport | null);
  'result'?: (_mooring_v1_CommandResult | null);
  'body'?: "hello"|"heartbeat"|"report"|"result";
}

export interface AgentMessage__Output {
  'hello'?: (_mooring_v1_Hello__Output | null);
  'heartbeat'?: (_mooring_v1_Heartbeat__Output | null);
  'report'?: (_mooring_v1_AgentReport__Output | null);
  'result'?: (_mooring_v1_CommandResult__Output | null);
  'body'?: "hello"|"heartbeat"|"report"|"result";
}
