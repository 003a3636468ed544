// Original file: mooring/v1/images.proto

import type { Long } from '@grpc/proto-loader';

export interface ImagePart {
  /**
   * disk, or kernel, initrd and rootfs.
   */
  'role'?: (string);
  'sha256'?: (string);
  'size'?: (number | string | Long);
}

export interface ImagePart__Output {
  /**
   * disk, or kernel, initrd and rootfs.
   */
  'role': (string);
  'sha256': (string);
  'size': (number);
}
