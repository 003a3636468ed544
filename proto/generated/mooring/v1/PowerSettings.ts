// Original file: mooring/v1/machines.proto

import type { PowerDriver as _mooring_v1_PowerDriver, PowerDriver__Output as _mooring_v1_PowerDriver__Output } from '../../mooring/v1/PowerDriver.js';
import type { BootMode as _mooring_v1_BootMode, BootMode__Output as _mooring_v1_BootMode__Output } from '../../mooring/v1/BootMode.js';
import type { RedfishTlsVerify as _mooring_v1_RedfishTlsVerify, RedfishTlsVerify__Output as _mooring_v1_RedfishTlsVerify__Output } from '../../mooring/v1/RedfishTlsVerify.js';

/**
 * Power settings. password and password_file are input only: the API never returns a password,
 * it answers has_password instead. password_file is a path on the coordinator's host, read each
 * time the driver needs it.
 */
export interface PowerSettings {
  'driver'?: (_mooring_v1_PowerDriver);
  'address'?: (string);
  'user'?: (string);
  'password'?: (string);
  'passwordFile'?: (string);
  'bootMode'?: (_mooring_v1_BootMode);
  'hasPassword'?: (boolean);
  /**
   * ipmi only: the RMCP+ cipher suite, ipmitool's -C: 3, 8, 12 or 17. 0 on input: the default, 3.
   * Answered with the suite in use for ipmi machines, 0 for other drivers.
   */
  'ipmiCipherSuite'?: (number);
  /**
   * redfish only: a PEM file on the coordinator's host with the CA(s) that sign the BMC's certificate.
   */
  'redfishCaFile'?: (string);
  'redfishTlsVerify'?: (_mooring_v1_RedfishTlsVerify);
}

/**
 * Power settings. password and password_file are input only: the API never returns a password,
 * it answers has_password instead. password_file is a path on the coordinator's host, read each
 * time the driver needs it.
 */
export interface PowerSettings__Output {
  'driver': (_mooring_v1_PowerDriver__Output);
  'address': (string);
  'user': (string);
  'password': (string);
  'passwordFile': (string);
  'bootMode': (_mooring_v1_BootMode__Output);
  'hasPassword': (boolean);
  /**
   * ipmi only: the RMCP+ cipher suite, ipmitool's -C: 3, 8, 12 or 17. 0 on input: the default, 3.
   * Answered with the suite in use for ipmi machines, 0 for other drivers.
   */
  'ipmiCipherSuite': (number);
  /**
   * redfish only: a PEM file on the coordinator's host with the CA(s) that sign the BMC's certificate.
   */
  'redfishCaFile': (string);
  'redfishTlsVerify': (_mooring_v1_RedfishTlsVerify__Output);
}
