// Original file: mooring/v1/machines.proto

/**
 * Day-2 power: on, off, cycle, or read the BMC's answer (status). The reply carries the machine
 * with its recorded power state as the driver left it.
 */
export const PowerAction = {
  POWER_ACTION_UNSPECIFIED: 'POWER_ACTION_UNSPECIFIED',
  POWER_ACTION_ON: 'POWER_ACTION_ON',
  POWER_ACTION_OFF: 'POWER_ACTION_OFF',
  POWER_ACTION_CYCLE: 'POWER_ACTION_CYCLE',
  POWER_ACTION_STATUS: 'POWER_ACTION_STATUS',
} as const;

/**
 * Day-2 power: on, off, cycle, or read the BMC's answer (status). The reply carries the machine
 * with its recorded power state as the driver left it.
 */
export type PowerAction =
  | 'POWER_ACTION_UNSPECIFIED'
  | 0
  | 'POWER_ACTION_ON'
  | 1
  | 'POWER_ACTION_OFF'
  | 2
  | 'POWER_ACTION_CYCLE'
  | 3
  | 'POWER_ACTION_STATUS'
  | 4

/**
 * Day-2 power: on, off, cycle, or read the BMC's answer (status). The reply carries the machine
 * with its recorded power state as the driver left it.
 */
export type PowerAction__Output = typeof PowerAction[keyof typeof PowerAction]
