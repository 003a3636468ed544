// Original file: mooring/v1/machines.proto

export const BootDevice = {
  BOOT_DEVICE_UNSPECIFIED: 'BOOT_DEVICE_UNSPECIFIED',
  BOOT_DEVICE_PXE: 'BOOT_DEVICE_PXE',
  BOOT_DEVICE_DISK: 'BOOT_DEVICE_DISK',
  BOOT_DEVICE_BIOS: 'BOOT_DEVICE_BIOS',
} as const;

export type BootDevice =
  | 'BOOT_DEVICE_UNSPECIFIED'
  | 0
  | 'BOOT_DEVICE_PXE'
  | 1
  | 'BOOT_DEVICE_DISK'
  | 2
  | 'BOOT_DEVICE_BIOS'
  | 3

export type BootDevice__Output = typeof BootDevice[keyof typeof BootDevice]
