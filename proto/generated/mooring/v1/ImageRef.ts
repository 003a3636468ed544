// Original file: mooring/v1/images.proto


export interface ImageRef {
  'name'?: (string);
}

export interface ImageRef__Output {
  'name': (string);
}
