// Original file: mooring/v1/deploy.proto


/**
 * Field 1 as MachineRef's: a client sending a bare MachineRef still works.
 */
export interface NetworkBindRequest {
  'machine'?: (string);
  'network'?: (string);
  'securityGroups'?: (string)[];
}

/**
 * Field 1 as MachineRef's: a client sending a bare MachineRef still works.
 */
export interface NetworkBindRequest__Output {
  'machine': (string);
  'network': (string);
  'securityGroups': (string)[];
}
