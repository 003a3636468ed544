// Original file: mooring/v1/machines.proto

/**
 * How the redfish driver checks a BMC's TLS certificate.
 */
export const RedfishTlsVerify = {
  /**
   * The coordinator's default (its redfishCaFile or redfishInsecure; the system CAs when neither is
   * set), or redfish_ca_file when that is set.
   */
  REDFISH_TLS_VERIFY_UNSPECIFIED: 'REDFISH_TLS_VERIFY_UNSPECIFIED',
  /**
   * Verify: against redfish_ca_file when set, else against the system CAs.
   */
  REDFISH_TLS_VERIFY_ON: 'REDFISH_TLS_VERIFY_ON',
  /**
   * No verification (labs only); excludes redfish_ca_file.
   */
  REDFISH_TLS_VERIFY_OFF: 'REDFISH_TLS_VERIFY_OFF',
} as const;

/**
 * How the redfish driver checks a BMC's TLS certificate.
 */
export type RedfishTlsVerify =
  /**
   * The coordinator's default (its redfishCaFile or redfishInsecure; the system CAs when neither is
   * set), or redfish_ca_file when that is set.
   */
  | 'REDFISH_TLS_VERIFY_UNSPECIFIED'
  | 0
  /**
   * Verify: against redfish_ca_file when set, else against the system CAs.
   */
  | 'REDFISH_TLS_VERIFY_ON'
  | 1
  /**
   * No verification (labs only); excludes redfish_ca_file.
   */
  | 'REDFISH_TLS_VERIFY_OFF'
  | 2

/**
 * How the redfish driver checks a BMC's TLS certificate.
 */
export type RedfishTlsVerify__Output = typeof RedfishTlsVerify[keyof typeof RedfishTlsVerify]
