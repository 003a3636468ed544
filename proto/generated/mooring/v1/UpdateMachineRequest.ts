// Original file: mooring/v1/machines.proto

import type { TagList as _mooring_v1_TagList, TagList__Output as _mooring_v1_TagList__Output } from '../../mooring/v1/TagList.js';
import type { PowerSettings as _mooring_v1_PowerSettings, PowerSettings__Output as _mooring_v1_PowerSettings__Output } from '../../mooring/v1/PowerSettings.js';

/**
 * Edits of an enlisted machine (admin). Empty strings and absent messages leave a field as it is.
 * power, when given, replaces the power settings whole and is checked as at enlist; with neither
 * password nor password_file the stored password (or password file) is kept.
 */
export interface UpdateMachineRequest {
  'machine'?: (string);
  'tags'?: (_mooring_v1_TagList | null);
  'pool'?: (string);
  'zone'?: (string);
  'hostname'?: (string);
  'power'?: (_mooring_v1_PowerSettings | null);
}

/**
 * Edits of an enlisted machine (admin). Empty strings and absent messages leave a field as it is.
 * power, when given, replaces the power settings whole and is checked as at enlist; with neither
 * password nor password_file the stored password (or password file) is kept.
 */
export interface UpdateMachineRequest__Output {
  'machine': (string);
  'tags': (_mooring_v1_TagList__Output | null);
  'pool': (string);
  'zone': (string);
  'hostname': (string);
  'power': (_mooring_v1_PowerSettings__Output | null);
}
