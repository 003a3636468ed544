// Original file: mooring/v1/sriov.proto

import type { SriovPfConfig as _mooring_v1_SriovPfConfig, SriovPfConfig__Output as _mooring_v1_SriovPfConfig__Output } from '../../mooring/v1/SriovPfConfig.js';

export interface AgentSriovSetRequest {
  'agent'?: (string);
  /**
   * Replaces this PF's entry in the agent's desired state.
   */
  'pf'?: (_mooring_v1_SriovPfConfig | null);
  /**
   * Remove the PF's entry instead (its VFs are left as they are).
   */
  'remove'?: (boolean);
  /**
   * How long to wait for the agent to apply it (default 120).
   */
  'timeoutSeconds'?: (number);
}

export interface AgentSriovSetRequest__Output {
  'agent': (string);
  /**
   * Replaces this PF's entry in the agent's desired state.
   */
  'pf': (_mooring_v1_SriovPfConfig__Output | null);
  /**
   * Remove the PF's entry instead (its VFs are left as they are).
   */
  'remove': (boolean);
  /**
   * How long to wait for the agent to apply it (default 120).
   */
  'timeoutSeconds': (number);
}
