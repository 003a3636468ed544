// Original file: mooring/v1/sriov.proto

import type { SriovDesired as _mooring_v1_SriovDesired, SriovDesired__Output as _mooring_v1_SriovDesired__Output } from '../../mooring/v1/SriovDesired.js';
import type { SriovReport as _mooring_v1_SriovReport, SriovReport__Output as _mooring_v1_SriovReport__Output } from '../../mooring/v1/SriovReport.js';

export interface AgentSriovResponse {
  'agent'?: (string);
  'desired'?: (_mooring_v1_SriovDesired | null);
  /**
   * The agent's last report (empty while it has not reported SR-IOV state).
   */
  'report'?: (_mooring_v1_SriovReport | null);
  'commandId'?: (string);
}

export interface AgentSriovResponse__Output {
  'agent': (string);
  'desired': (_mooring_v1_SriovDesired__Output | null);
  /**
   * The agent's last report (empty while it has not reported SR-IOV state).
   */
  'report': (_mooring_v1_SriovReport__Output | null);
  'commandId': (string);
}
