// Original file: mooring/v1/images.proto

import type { Image as _mooring_v1_Image, Image__Output as _mooring_v1_Image__Output } from '../../mooring/v1/Image.js';

export interface ListImagesResponse {
  'images'?: (_mooring_v1_Image)[];
}

export interface ListImagesResponse__Output {
  'images': (_mooring_v1_Image__Output)[];
}
