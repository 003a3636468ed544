// Original file: mooring/v1/images.proto


export interface ImageData {
  /**
   * The part these bytes belong to; parts come whole, one after the other, in the header's order.
   */
  'role'?: (string);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ImageData__Output {
  /**
   * The part these bytes belong to; parts come whole, one after the other, in the header's order.
   */
  'role': (string);
  'data': (Buffer);
}
