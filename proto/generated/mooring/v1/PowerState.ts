// Original file: mooring/v1/machines.proto

export const PowerState = {
  POWER_STATE_UNSPECIFIED: 'POWER_STATE_UNSPECIFIED',
  POWER_STATE_ON: 'POWER_STATE_ON',
  POWER_STATE_OFF: 'POWER_STATE_OFF',
  POWER_STATE_UNKNOWN: 'POWER_STATE_UNKNOWN',
} as const;

export type PowerState =
  | 'POWER_STATE_UNSPECIFIED'
  | 0
  | 'POWER_STATE_ON'
  | 1
  | 'POWER_STATE_OFF'
  | 2
  | 'POWER_STATE_UNKNOWN'
  | 3

export type PowerState__Output = typeof PowerState[keyof typeof PowerState]
