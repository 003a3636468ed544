// Original file: mooring/v1/deploy.proto


export interface Sequence {
  'id'?: (string);
  'machineId'?: (string);
  /**
   * deploy, release, bind or unbind.
   */
  'kind'?: (string);
  'step'?: (string);
  'startedAt'?: (string);
  'powerFound'?: (string);
  'biosHalt'?: (boolean);
  'portsDone'?: (string)[];
  'failure'?: (string);
}

export interface Sequence__Output {
  'id': (string);
  'machineId': (string);
  /**
   * deploy, release, bind or unbind.
   */
  'kind': (string);
  'step': (string);
  'startedAt': (string);
  'powerFound': (string);
  'biosHalt': (boolean);
  'portsDone': (string)[];
  'failure': (string);
}
