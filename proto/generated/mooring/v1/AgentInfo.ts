// Original file: mooring/v1/agent.proto

import type { Inventory as _mooring_v1_Inventory, Inventory__Output as _mooring_v1_Inventory__Output } from '../../mooring/v1/Inventory.js';
import type { AgentReport as _mooring_v1_AgentReport, AgentReport__Output as _mooring_v1_AgentReport__Output } from '../../mooring/v1/AgentReport.js';
import type { Long } from '@grpc/proto-loader';

export interface AgentInfo {
  'id'?: (string);
  'role'?: (string);
  /**
   * NEVER_CONNECTED, ONLINE or OFFLINE.
   */
  'state'?: (string);
  'stateReason'?: (string);
  'stateChangedAt'?: (string);
  'epoch'?: (number | string | Long);
  'lastHeartbeatAt'?: (string);
  'version'?: (string);
  'inventory'?: (_mooring_v1_Inventory | null);
  'report'?: (_mooring_v1_AgentReport | null);
  'enrolledAt'?: (string);
  'revoked'?: (boolean);
  'certNotAfter'?: (string);
  /**
   * ovn-controller on the agent's smartNIC as last reported (kept while the agent is away);
   * ovn_reported is false when the agent never reported it.
   */
  'ovnReported'?: (boolean);
  'ovnRemote'?: (string);
  'ovnChassis'?: (string);
}

export interface AgentInfo__Output {
  'id': (string);
  'role': (string);
  /**
   * NEVER_CONNECTED, ONLINE or OFFLINE.
   */
  'state': (string);
  'stateReason': (string);
  'stateChangedAt': (string);
  'epoch': (number);
  'lastHeartbeatAt': (string);
  'version': (string);
  'inventory': (_mooring_v1_Inventory__Output | null);
  'report': (_mooring_v1_AgentReport__Output | null);
  'enrolledAt': (string);
  'revoked': (boolean);
  'certNotAfter': (string);
  /**
   * ovn-controller on the agent's smartNIC as last reported (kept while the agent is away);
   * ovn_reported is false when the agent never reported it.
   */
  'ovnReported': (boolean);
  'ovnRemote': (string);
  'ovnChassis': (string);
}
