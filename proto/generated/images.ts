import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DeleteImageResponse as _mooring_v1_DeleteImageResponse, DeleteImageResponse__Output as _mooring_v1_DeleteImageResponse__Output } from './mooring/v1/DeleteImageResponse.js';
import type { Image as _mooring_v1_Image, Image__Output as _mooring_v1_Image__Output } from './mooring/v1/Image.js';
import type { ImageData as _mooring_v1_ImageData, ImageData__Output as _mooring_v1_ImageData__Output } from './mooring/v1/ImageData.js';
import type { ImagePart as _mooring_v1_ImagePart, ImagePart__Output as _mooring_v1_ImagePart__Output } from './mooring/v1/ImagePart.js';
import type { ImageRef as _mooring_v1_ImageRef, ImageRef__Output as _mooring_v1_ImageRef__Output } from './mooring/v1/ImageRef.js';
import type { ImageServiceClient as _mooring_v1_ImageServiceClient, ImageServiceDefinition as _mooring_v1_ImageServiceDefinition } from './mooring/v1/ImageService.js';
import type { ImageUploadChunk as _mooring_v1_ImageUploadChunk, ImageUploadChunk__Output as _mooring_v1_ImageUploadChunk__Output } from './mooring/v1/ImageUploadChunk.js';
import type { ImageUploadHeader as _mooring_v1_ImageUploadHeader, ImageUploadHeader__Output as _mooring_v1_ImageUploadHeader__Output } from './mooring/v1/ImageUploadHeader.js';
import type { ListImagesRequest as _mooring_v1_ListImagesRequest, ListImagesRequest__Output as _mooring_v1_ListImagesRequest__Output } from './mooring/v1/ListImagesRequest.js';
import type { ListImagesResponse as _mooring_v1_ListImagesResponse, ListImagesResponse__Output as _mooring_v1_ListImagesResponse__Output } from './mooring/v1/ListImagesResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mooring: {
    v1: {
      DeleteImageResponse: MessageTypeDefinition<_mooring_v1_DeleteImageResponse, _mooring_v1_DeleteImageResponse__Output>
      Image: MessageTypeDefinition<_mooring_v1_Image, _mooring_v1_Image__Output>
      ImageData: MessageTypeDefinition<_mooring_v1_ImageData, _mooring_v1_ImageData__Output>
      ImagePart: MessageTypeDefinition<_mooring_v1_ImagePart, _mooring_v1_ImagePart__Output>
      ImageRef: MessageTypeDefinition<_mooring_v1_ImageRef, _mooring_v1_ImageRef__Output>
      ImageService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_ImageServiceClient> & { service: _mooring_v1_ImageServiceDefinition }
      ImageUploadChunk: MessageTypeDefinition<_mooring_v1_ImageUploadChunk, _mooring_v1_ImageUploadChunk__Output>
      ImageUploadHeader: MessageTypeDefinition<_mooring_v1_ImageUploadHeader, _mooring_v1_ImageUploadHeader__Output>
      ListImagesRequest: MessageTypeDefinition<_mooring_v1_ListImagesRequest, _mooring_v1_ListImagesRequest__Output>
      ListImagesResponse: MessageTypeDefinition<_mooring_v1_ListImagesResponse, _mooring_v1_ListImagesResponse__Output>
    }
  }
}

