// Stable command error codes of the SR-IOV errors (command-errors.ts adds them to its table).

import { AmbiguousRepresentorError, FewerVfsEnabledError, InvalidVfCountError, NoSriovDriverError, NotSriovPfError, RepresentorNotFoundError, SriovWriteError, VfCountAboveTotalError, VfCountBusyError, VfCountOutOfRangeError, VfWaitTimeoutError } from './errors.js';
import { EswitchModeRefusedError, EswitchUnsupportedError, InvalidSriovConfigError, ToolOutputError, VfNotFoundError, VfReadbackMismatchError, VfSettingRefusedError } from './nic-errors.js';
import { ToolFailedError, ToolMissingError, ToolTimeoutError } from './tool-runner.js';

export const SRIOV_ERROR_CODES: [new (...args: never[]) => Error, string][] = [
  [InvalidSriovConfigError, 'INVALID_SRIOV_CONFIG'],
  [InvalidVfCountError, 'INVALID_SRIOV_CONFIG'],
  [NotSriovPfError, 'NOT_SRIOV_PF'],
  [VfCountAboveTotalError, 'VF_COUNT_ABOVE_TOTAL'],
  [VfCountOutOfRangeError, 'VF_COUNT_ABOVE_TOTAL'],
  [VfCountBusyError, 'VF_COUNT_BUSY'],
  [NoSriovDriverError, 'NO_SRIOV_DRIVER'],
  [FewerVfsEnabledError, 'FEWER_VFS_ENABLED'],
  [VfWaitTimeoutError, 'VF_WAIT_TIMEOUT'],
  [SriovWriteError, 'SRIOV_WRITE_FAILED'],
  [VfNotFoundError, 'VF_NOT_FOUND'],
  [VfSettingRefusedError, 'VF_SETTING_REFUSED'],
  [VfReadbackMismatchError, 'VF_READBACK_MISMATCH'],
  [EswitchModeRefusedError, 'ESWITCH_MODE_REFUSED'],
  [EswitchUnsupportedError, 'ESWITCH_UNSUPPORTED'],
  [RepresentorNotFoundError, 'REPRESENTOR_NOT_FOUND'],
  [AmbiguousRepresentorError, 'REPRESENTOR_AMBIGUOUS'],
  [ToolMissingError, 'TOOL_MISSING'],
  [ToolTimeoutError, 'TOOL_TIMEOUT'],
  [ToolFailedError, 'TOOL_FAILED'],
  [ToolOutputError, 'TOOL_FAILED'],
];

/** Failures that re-sending the same command cannot fix. */
export const SRIOV_PERMANENT_CODES = ['INVALID_SRIOV_CONFIG', 'VF_COUNT_ABOVE_TOTAL', 'REPRESENTOR_NOT_FOUND', 'REPRESENTOR_AMBIGUOUS'];
