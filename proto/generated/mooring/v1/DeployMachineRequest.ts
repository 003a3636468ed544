// Original file: mooring/v1/deploy.proto


export interface DeployMachineRequest {
  'machine'?: (string);
  /**
   * Boot device for the deployment: pxe (default), disk or cdrom.
   */
  'bootDevice'?: (string);
}

export interface DeployMachineRequest__Output {
  'machine': (string);
  /**
   * Boot device for the deployment: pxe (default), disk or cdrom.
   */
  'bootDevice': (string);
}
