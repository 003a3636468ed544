// Original file: mooring/v1/agent.proto

import type { PortReport as _mooring_v1_PortReport, PortReport__Output as _mooring_v1_PortReport__Output } from '../../mooring/v1/PortReport.js';

export interface AgentCommandResponse {
  'commandId'?: (string);
  'ports'?: (_mooring_v1_PortReport)[];
}

export interface AgentCommandResponse__Output {
  'commandId': (string);
  'ports': (_mooring_v1_PortReport__Output)[];
}
