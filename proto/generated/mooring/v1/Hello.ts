// Original file: mooring/v1/agent.proto

import type { Inventory as _mooring_v1_Inventory, Inventory__Output as _mooring_v1_Inventory__Output } from '../../mooring/v1/Inventory.js';
import type { AgentReport as _mooring_v1_AgentReport, AgentReport__Output as _mooring_v1_AgentReport__Output } from '../../mooring/v1/AgentReport.js';

export interface Hello {
  'agentId'?: (string);
  'version'?: (string);
  'role'?: (string);
  'inventory'?: (_mooring_v1_Inventory | null);
  'report'?: (_mooring_v1_AgentReport | null);
}

export interface Hello__Output {
  'agentId': (string);
  'version': (string);
  'role': (string);
  'inventory': (_mooring_v1_Inventory__Output | null);
  'report': (_mooring_v1_AgentReport__Output | null);
}
