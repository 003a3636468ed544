// Original file: mooring/v1/machines.proto


export interface AnnotateMachineRequest {
  'machine'?: (string);
  'set'?: ({[key: string]: string});
  'remove'?: (string)[];
}

export interface AnnotateMachineRequest__Output {
  'machine': (string);
  'set': ({[key: string]: string});
  'remove': (string)[];
}
