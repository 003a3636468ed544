// Original file: mooring/v1/sriov.proto

import type { SriovReport as _mooring_v1_SriovReport, SriovReport__Output as _mooring_v1_SriovReport__Output } from '../../mooring/v1/SriovReport.js';

export interface SriovResult {
  'report'?: (_mooring_v1_SriovReport | null);
}

export interface SriovResult__Output {
  'report': (_mooring_v1_SriovReport__Output | null);
}
