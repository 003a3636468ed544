// Original file: mooring/v1/tenancy.proto


export interface Group {
  'name'?: (string);
  'members'?: (string)[];
  'createdAt'?: (string);
}

export interface Group__Output {
  'name': (string);
  'members': (string)[];
  'createdAt': (string);
}
