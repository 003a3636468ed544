// Original file: mooring/v1/machines.proto

/**
 * Where a machine's hardware facts came from: the power driver that read them from the BMC.
 */
export const HardwareSource = {
  HARDWARE_SOURCE_UNSPECIFIED: 'HARDWARE_SOURCE_UNSPECIFIED',
  HARDWARE_SOURCE_REDFISH: 'HARDWARE_SOURCE_REDFISH',
  HARDWARE_SOURCE_IPMI: 'HARDWARE_SOURCE_IPMI',
} as const;

/**
 * Where a machine's hardware facts came from: the power driver that read them from the BMC.
 */
export type HardwareSource =
  | 'HARDWARE_SOURCE_UNSPECIFIED'
  | 0
  | 'HARDWARE_SOURCE_REDFISH'
  | 1
  | 'HARDWARE_SOURCE_IPMI'
  | 2

/**
 * Where a machine's hardware facts came from: the power driver that read them from the BMC.
 */
export type HardwareSource__Output = typeof HardwareSource[keyof typeof HardwareSource]
