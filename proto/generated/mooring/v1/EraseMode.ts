// Original file: mooring/v1/pools.proto

/**
 * How a released machine's disks are cleaned before it is READY again (the release sequence boots
 * the erase ramdisk on the provisioning network). Unspecified in a request: quick.
 */
export const EraseMode = {
  ERASE_MODE_UNSPECIFIED: 'ERASE_MODE_UNSPECIFIED',
  /**
   * Discard every disk and zero its first and last MiB.
   */
  ERASE_MODE_QUICK: 'ERASE_MODE_QUICK',
  /**
   * The disk's own secure erase, or every block overwritten where it has none.
   */
  ERASE_MODE_SECURE: 'ERASE_MODE_SECURE',
} as const;

/**
 * How a released machine's disks are cleaned before it is READY again (the release sequence boots
 * the erase ramdisk on the provisioning network). Unspecified in a request: quick.
 */
export type EraseMode =
  | 'ERASE_MODE_UNSPECIFIED'
  | 0
  /**
   * Discard every disk and zero its first and last MiB.
   */
  | 'ERASE_MODE_QUICK'
  | 1
  /**
   * The disk's own secure erase, or every block overwritten where it has none.
   */
  | 'ERASE_MODE_SECURE'
  | 2

/**
 * How a released machine's disks are cleaned before it is READY again (the release sequence boots
 * the erase ramdisk on the provisioning network). Unspecified in a request: quick.
 */
export type EraseMode__Output = typeof EraseMode[keyof typeof EraseMode]
