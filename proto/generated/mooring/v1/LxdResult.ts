// Original file: mooring/v1/lxd.proto

import type { LxdReport as _mooring_v1_LxdReport, LxdReport__Output as _mooring_v1_LxdReport__Output } from '../../mooring/v1/LxdReport.js';
import type { LxdInstance as _mooring_v1_LxdInstance, LxdInstance__Output as _mooring_v1_LxdInstance__Output } from '../../mooring/v1/LxdInstance.js';

/**
 * Result payload for LXD commands (CommandResult.lxd).
 */
export interface LxdResult {
  'report'?: (_mooring_v1_LxdReport | null);
  'instance'?: (_mooring_v1_LxdInstance | null);
  /**
   * LXD's own error message when LXD refused (e.g. "vhost_vsock kernel module not loaded").
   */
  'lxdError'?: (string);
}

/**
 * Result payload for LXD commands (CommandResult.lxd).
 */
export interface LxdResult__Output {
  'report': (_mooring_v1_LxdReport__Output | null);
  'instance': (_mooring_v1_LxdInstance__Output | null);
  /**
   * LXD's own error message when LXD refused (e.g. "vhost_vsock kernel module not loaded").
   */
  'lxdError': (string);
}
