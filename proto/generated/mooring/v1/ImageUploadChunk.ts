// Original file: mooring/v1/images.proto

import type { ImageUploadHeader as _mooring_v1_ImageUploadHeader, ImageUploadHeader__Output as _mooring_v1_ImageUploadHeader__Output } from '../../mooring/v1/ImageUploadHeader.js';
import type { ImageData as _mooring_v1_ImageData, ImageData__Output as _mooring_v1_ImageData__Output } from '../../mooring/v1/ImageData.js';

export interface ImageUploadChunk {
  'header'?: (_mooring_v1_ImageUploadHeader | null);
  'data'?: (_mooring_v1_ImageData | null);
  'item'?: "header"|"data";
}

export interface ImageUploadChunk__Output {
  'header'?: (_mooring_v1_ImageUploadHeader__Output | null);
  'data'?: (_mooring_v1_ImageData__Output | null);
  'item'?: "header"|"data";
}
