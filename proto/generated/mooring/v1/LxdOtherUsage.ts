// Original file: mooring/v1/lxd.proto

/**
 * Whether LxdResources.other is known.
 */
export const LxdOtherUsage = {
  /**
   * An agent from before this field: `other` counts every instance of other projects, stopped ones too.
   */
  LXD_OTHER_USAGE_UNSPECIFIED: 'LXD_OTHER_USAGE_UNSPECIFIED',
  /**
   * `other` is what other projects' instances hold (stopped ones not counted, see LxdUsage).
   */
  LXD_OTHER_USAGE_KNOWN: 'LXD_OTHER_USAGE_KNOWN',
  /**
   * LXD refused to list other projects' instances (the agent's certificate is restricted to its
   * projects): `other` is unset, and overcommit is counted against what is known, the assigned project.
   */
  LXD_OTHER_USAGE_UNKNOWN: 'LXD_OTHER_USAGE_UNKNOWN',
} as const;

/**
 * Whether LxdResources.other is known.
 */
export type LxdOtherUsage =
  /**
   * An agent from before this field: `other` counts every instance of other projects, stopped ones too.
   */
  | 'LXD_OTHER_USAGE_UNSPECIFIED'
  | 0
  /**
   * `other` is what other projects' instances hold (stopped ones not counted, see LxdUsage).
   */
  | 'LXD_OTHER_USAGE_KNOWN'
  | 1
  /**
   * LXD refused to list other projects' instances (the agent's certificate is restricted to its
   * projects): `other` is unset, and overcommit is counted against what is known, the assigned project.
   */
  | 'LXD_OTHER_USAGE_UNKNOWN'
  | 2

/**
 * Whether LxdResources.other is known.
 */
export type LxdOtherUsage__Output = typeof LxdOtherUsage[keyof typeof LxdOtherUsage]
