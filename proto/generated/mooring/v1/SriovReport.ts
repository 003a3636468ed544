// Original file: mooring/v1/sriov.proto

import type { SmartNicModeReport as _mooring_v1_SmartNicModeReport, SmartNicModeReport__Output as _mooring_v1_SmartNicModeReport__Output } from '../../mooring/v1/SmartNicModeReport.js';
import type { SriovPfReport as _mooring_v1_SriovPfReport, SriovPfReport__Output as _mooring_v1_SriovPfReport__Output } from '../../mooring/v1/SriovPfReport.js';
import type { SriovRepresentorReport as _mooring_v1_SriovRepresentorReport, SriovRepresentorReport__Output as _mooring_v1_SriovRepresentorReport__Output } from '../../mooring/v1/SriovRepresentorReport.js';
import type { Long } from '@grpc/proto-loader';

export interface SriovReport {
  'smartNic'?: (_mooring_v1_SmartNicModeReport | null);
  'pfs'?: (_mooring_v1_SriovPfReport)[];
  'representors'?: (_mooring_v1_SriovRepresentorReport)[];
  /**
   * The revision of the desired state last reconciled, and how that went.
   */
  'desiredRevision'?: (number | string | Long);
  'lastReconcileAt'?: (string);
  'lastReconcileError'?: (string);
  /**
   * Problems reading sysfs or the tools (not fatal).
   */
  'problems'?: (string)[];
}

export interface SriovReport__Output {
  'smartNic': (_mooring_v1_SmartNicModeReport__Output | null);
  'pfs': (_mooring_v1_SriovPfReport__Output)[];
  'representors': (_mooring_v1_SriovRepresentorReport__Output)[];
  /**
   * The revision of the desired state last reconciled, and how that went.
   */
  'desiredRevision': (number);
  'lastReconcileAt': (string);
  'lastReconcileError': (string);
  /**
   * Problems reading sysfs or the tools (not fatal).
   */
  'problems': (string)[];
}
