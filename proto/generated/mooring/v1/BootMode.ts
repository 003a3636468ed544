// Original file: mooring/v1/machines.proto

export const BootMode = {
  BOOT_MODE_UNSPECIFIED: 'BOOT_MODE_UNSPECIFIED',
  BOOT_MODE_UEFI: 'BOOT_MODE_UEFI',
  BOOT_MODE_LEGACY: 'BOOT_MODE_LEGACY',
} as const;

export type BootMode =
  | 'BOOT_MODE_UNSPECIFIED'
  | 0
  | 'BOOT_MODE_UEFI'
  | 1
  | 'BOOT_MODE_LEGACY'
  | 2

export type BootMode__Output = typeof BootMode[keyof typeof BootMode]
