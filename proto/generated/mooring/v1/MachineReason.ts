// Original file: mooring/v1/machines.proto


export interface MachineReason {
  'machine'?: (string);
  'reason'?: (string);
}

export interface MachineReason__Output {
  'machine': (string);
  'reason': (string);
}
