// Original file: mooring/v1/deploy.proto


export interface DeployMachineRequest {
  'machine'?: (string);
  /**
   * Boot device for the deployment: pxe (default), disk or cdrom.
   */
  'bootDevice'?: (string);
  /**
   * A tenant network (NetworkService) to attach the smartNIC ports to; empty: none.
   */
  'network'?: (string);
  /**
   * Security groups for the attached ports (only with network).
   */
  'securityGroups'?: (string)[];
}

export interface DeployMachineRequest__Output {
  'machine': (string);
  /**
   * Boot device for the deployment: pxe (default), disk or cdrom.
   */
  'bootDevice': (string);
  /**
   * A tenant network (NetworkService) to attach the smartNIC ports to; empty: none.
   */
  'network': (string);
  /**
   * Security groups for the attached ports (only with network).
   */
  'securityGroups': (string)[];
}
