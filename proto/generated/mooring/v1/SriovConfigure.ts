// Original file: mooring/v1/sriov.proto

import type { SriovDesired as _mooring_v1_SriovDesired, SriovDesired__Output as _mooring_v1_SriovDesired__Output } from '../../mooring/v1/SriovDesired.js';

/**
 * AgentCommand kind 5: replace the agent's desired SR-IOV state and reconcile now.
 */
export interface SriovConfigure {
  'desired'?: (_mooring_v1_SriovDesired | null);
}

/**
 * AgentCommand kind 5: replace the agent's desired SR-IOV state and reconcile now.
 */
export interface SriovConfigure__Output {
  'desired': (_mooring_v1_SriovDesired__Output | null);
}
