// Original file: mooring/v1/sriov.proto


export interface SriovVfConfig {
  'vf'?: (number);
  /**
   * ip-link keywords to values: mac, vlan, qos, spoofchk (on|off), trust (on|off),
   * state (auto|enable|disable), max_tx_rate, min_tx_rate (Mbit/s). Absent keys are left alone.
   */
  'settings'?: ({[key: string]: string});
}

export interface SriovVfConfig__Output {
  'vf': (number);
  /**
   * ip-link keywords to values: mac, vlan, qos, spoofchk (on|off), trust (on|off),
   * state (auto|enable|disable), max_tx_rate, min_tx_rate (Mbit/s). Absent keys are left alone.
   */
  'settings': ({[key: string]: string});
}
