// Original file: mooring/v1/machines.proto


/**
 * A NIC the BMC reports (Redfish EthernetInterfaces). speed_mbps 0: not reported.
 */
export interface HardwareNic {
  'mac'?: (string);
  'name'?: (string);
  'speedMbps'?: (number);
}

/**
 * A NIC the BMC reports (Redfish EthernetInterfaces). speed_mbps 0: not reported.
 */
export interface HardwareNic__Output {
  'mac': (string);
  'name': (string);
  'speedMbps': (number);
}
