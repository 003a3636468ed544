// Original file: mooring/v1/images.proto

import type { ImagePart as _mooring_v1_ImagePart, ImagePart__Output as _mooring_v1_ImagePart__Output } from '../../mooring/v1/ImagePart.js';
import type { Long } from '@grpc/proto-loader';

export interface Image {
  'name'?: (string);
  /**
   * amd64 or arm64.
   */
  'arch'?: (string);
  /**
   * raw or qcow2: the format of the disk part (or of the rootfs part).
   */
  'format'?: (string);
  'parts'?: (_mooring_v1_ImagePart)[];
  /**
   * Every part's bytes together.
   */
  'size'?: (number | string | Long);
  'createdAt'?: (string);
  /**
   * The coordinator holding the bytes (its data dir), and where its boot service serves them.
   */
  'holder'?: (string);
  'bootUrl'?: (string);
}

export interface Image__Output {
  'name': (string);
  /**
   * amd64 or arm64.
   */
  'arch': (string);
  /**
   * raw or qcow2: the format of the disk part (or of the rootfs part).
   */
  'format': (string);
  'parts': (_mooring_v1_ImagePart__Output)[];
  /**
   * Every part's bytes together.
   */
  'size': (number);
  'createdAt': (string);
  /**
   * The coordinator holding the bytes (its data dir), and where its boot service serves them.
   */
  'holder': (string);
  'bootUrl': (string);
}
