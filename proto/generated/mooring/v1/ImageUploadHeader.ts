// Original file: mooring/v1/images.proto


export interface ImageUploadHeader {
  'name'?: (string);
  /**
   * Default amd64.
   */
  'arch'?: (string);
  /**
   * raw or qcow2; "" reads it from the bytes (the qcow2 magic, else raw).
   */
  'format'?: (string);
  /**
   * The parts that follow, in order: ["disk"], or ["kernel", "initrd", "rootfs"].
   */
  'roles'?: (string)[];
}

export interface ImageUploadHeader__Output {
  'name': (string);
  /**
   * Default amd64.
   */
  'arch': (string);
  /**
   * raw or qcow2; "" reads it from the bytes (the qcow2 magic, else raw).
   */
  'format': (string);
  /**
   * The parts that follow, in order: ["disk"], or ["kernel", "initrd", "rootfs"].
   */
  'roles': (string)[];
}
