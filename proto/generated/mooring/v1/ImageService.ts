// Original file: mooring/v1/images.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteImageResponse as _mooring_v1_DeleteImageResponse, DeleteImageResponse__Output as _mooring_v1_DeleteImageResponse__Output } from '../../mooring/v1/DeleteImageResponse.js';
import type { Image as _mooring_v1_Image, Image__Output as _mooring_v1_Image__Output } from '../../mooring/v1/Image.js';
import type { ImageRef as _mooring_v1_ImageRef, ImageRef__Output as _mooring_v1_ImageRef__Output } from '../../mooring/v1/ImageRef.js';
import type { ImageUploadChunk as _mooring_v1_ImageUploadChunk, ImageUploadChunk__Output as _mooring_v1_ImageUploadChunk__Output } from '../../mooring/v1/ImageUploadChunk.js';
import type { ListImagesRequest as _mooring_v1_ListImagesRequest, ListImagesRequest__Output as _mooring_v1_ListImagesRequest__Output } from '../../mooring/v1/ListImagesRequest.js';
import type { ListImagesResponse as _mooring_v1_ListImagesResponse, ListImagesResponse__Output as _mooring_v1_ListImagesResponse__Output } from '../../mooring/v1/ListImagesResponse.js';

export interface ImageServiceClient extends grpc.Client {
  /**
   * Client streaming: one header first, then the bytes of each part in the header's order.
   * ALREADY_EXISTS for a taken name; INVALID_ARGUMENT for a format the bytes do not match (a
   * qcow2 image is checked for its magic); RESOURCE_EXHAUSTED past the coordinator's size limit.
   */
  AddImage(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientWritableStream<_mooring_v1_ImageUploadChunk>;
  AddImage(metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientWritableStream<_mooring_v1_ImageUploadChunk>;
  AddImage(options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientWritableStream<_mooring_v1_ImageUploadChunk>;
  AddImage(callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientWritableStream<_mooring_v1_ImageUploadChunk>;
  /**
   * Client streaming: one header first, then the bytes of each part in the header's order.
   * ALREADY_EXISTS for a taken name; INVALID_ARGUMENT for a format the bytes do not match (a
   * qcow2 image is checked for its magic); RESOURCE_EXHAUSTED past the coordinator's size limit.
   */
  addImage(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientWritableStream<_mooring_v1_ImageUploadChunk>;
  addImage(metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientWritableStream<_mooring_v1_ImageUploadChunk>;
  addImage(options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientWritableStream<_mooring_v1_ImageUploadChunk>;
  addImage(callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientWritableStream<_mooring_v1_ImageUploadChunk>;
  
  /**
   * FAILED_PRECONDITION, naming the machine, while a deployment uses it.
   */
  DeleteImage(argument: _mooring_v1_ImageRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  DeleteImage(argument: _mooring_v1_ImageRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  DeleteImage(argument: _mooring_v1_ImageRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  DeleteImage(argument: _mooring_v1_ImageRef, callback: grpc.requestCallback<_mooring_v1_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  /**
   * FAILED_PRECONDITION, naming the machine, while a deployment uses it.
   */
  deleteImage(argument: _mooring_v1_ImageRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  deleteImage(argument: _mooring_v1_ImageRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  deleteImage(argument: _mooring_v1_ImageRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  deleteImage(argument: _mooring_v1_ImageRef, callback: grpc.requestCallback<_mooring_v1_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  
  GetImage(argument: _mooring_v1_ImageRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientUnaryCall;
  GetImage(argument: _mooring_v1_ImageRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientUnaryCall;
  GetImage(argument: _mooring_v1_ImageRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientUnaryCall;
  GetImage(argument: _mooring_v1_ImageRef, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientUnaryCall;
  getImage(argument: _mooring_v1_ImageRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientUnaryCall;
  getImage(argument: _mooring_v1_ImageRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientUnaryCall;
  getImage(argument: _mooring_v1_ImageRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientUnaryCall;
  getImage(argument: _mooring_v1_ImageRef, callback: grpc.requestCallback<_mooring_v1_Image__Output>): grpc.ClientUnaryCall;
  
  ListImages(argument: _mooring_v1_ListImagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  ListImages(argument: _mooring_v1_ListImagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  ListImages(argument: _mooring_v1_ListImagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  ListImages(argument: _mooring_v1_ListImagesRequest, callback: grpc.requestCallback<_mooring_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  listImages(argument: _mooring_v1_ListImagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  listImages(argument: _mooring_v1_ListImagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  listImages(argument: _mooring_v1_ListImagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  listImages(argument: _mooring_v1_ListImagesRequest, callback: grpc.requestCallback<_mooring_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ImageServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Client streaming: one header first, then the bytes of each part in the header's order.
   * ALREADY_EXISTS for a taken name; INVALID_ARGUMENT for a format the bytes do not match (a
   * qcow2 image is checked for its magic); RESOURCE_EXHAUSTED past the coordinator's size limit.
   */
  AddImage: grpc.handleClientStreamingCall<_mooring_v1_ImageUploadChunk__Output, _mooring_v1_Image>;
  
  /**
   * FAILED_PRECONDITION, naming the machine, while a deployment uses it.
   */
  DeleteImage: grpc.handleUnaryCall<_mooring_v1_ImageRef__Output, _mooring_v1_DeleteImageResponse>;
  
  GetImage: grpc.handleUnaryCall<_mooring_v1_ImageRef__Output, _mooring_v1_Image>;
  
  ListImages: grpc.handleUnaryCall<_mooring_v1_ListImagesRequest__Output, _mooring_v1_ListImagesResponse>;
  
}

export interface ImageServiceDefinition extends grpc.ServiceDefinition {
  AddImage: MethodDefinition<_mooring_v1_ImageUploadChunk, _mooring_v1_Image, _mooring_v1_ImageUploadChunk__Output, _mooring_v1_Image__Output>
  DeleteImage: MethodDefinition<_mooring_v1_ImageRef, _mooring_v1_DeleteImageResponse, _mooring_v1_ImageRef__Output, _mooring_v1_DeleteImageResponse__Output>
  GetImage: MethodDefinition<_mooring_v1_ImageRef, _mooring_v1_Image, _mooring_v1_ImageRef__Output, _mooring_v1_Image__Output>
  ListImages: MethodDefinition<_mooring_v1_ListImagesRequest, _mooring_v1_ListImagesResponse, _mooring_v1_ListImagesRequest__Output, _mooring_v1_ListImagesResponse__Output>
}
