// Original file: mooring/v1/machines.proto

export const PowerDriver = {
  POWER_DRIVER_UNSPECIFIED: 'POWER_DRIVER_UNSPECIFIED',
  POWER_DRIVER_IPMI: 'POWER_DRIVER_IPMI',
  POWER_DRIVER_REDFISH: 'POWER_DRIVER_REDFISH',
  POWER_DRIVER_LXD: 'POWER_DRIVER_LXD',
  POWER_DRIVER_MANUAL: 'POWER_DRIVER_MANUAL',
} as const;

export type PowerDriver =
  | 'POWER_DRIVER_UNSPECIFIED'
  | 0
  | 'POWER_DRIVER_IPMI'
  | 1
  | 'POWER_DRIVER_REDFISH'
  | 2
  | 'POWER_DRIVER_LXD'
  | 3
  | 'POWER_DRIVER_MANUAL'
  | 4

export type PowerDriver__Output = typeof PowerDriver[keyof typeof PowerDriver]
