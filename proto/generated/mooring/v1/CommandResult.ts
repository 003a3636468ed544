// Original file: mooring/v1/agent.proto

import type { PortReport as _mooring_v1_PortReport, PortReport__Output as _mooring_v1_PortReport__Output } from '../../mooring/v1/PortReport.js';
import type { SriovResult as _mooring_v1_SriovResult, SriovResult__Output as _mooring_v1_SriovResult__Output } from '../../mooring/v1/SriovResult.js';
import type { LxdResult as _mooring_v1_LxdResult, LxdResult__Output as _mooring_v1_LxdResult__Output } from '../../mooring/v1/LxdResult.js';

export interface CommandResult {
  'commandId'?: (string);
  'ok'?: (boolean);
  /**
   * A stable code (e.g. PORT_NOT_OWNED, APPLY_TIMEOUT, INVALID_PORT) and a message naming what went wrong.
   */
  'errorCode'?: (string);
  'error'?: (string);
  'ports'?: (_mooring_v1_PortReport)[];
  'sriov'?: (_mooring_v1_SriovResult | null);
  'lxd'?: (_mooring_v1_LxdResult | null);
}

export interface CommandResult__Output {
  'commandId': (string);
  'ok': (boolean);
  /**
   * A stable code (e.g. PORT_NOT_OWNED, APPLY_TIMEOUT, INVALID_PORT) and a message naming what went wrong.
   */
  'errorCode': (string);
  'error': (string);
  'ports': (_mooring_v1_PortReport__Output)[];
  'sriov': (_mooring_v1_SriovResult__Output | null);
  'lxd': (_mooring_v1_LxdResult__Output | null);
}
