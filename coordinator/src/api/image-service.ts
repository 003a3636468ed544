// mooring.v1.ImageService: admins add (a client-streamed upload) and delete images; members and
// observers list and show them (an image holds nothing of another tenant).
import { z } from 'zod';
import type { Image__Output, ImageServiceHandlers, ImageUploadChunk__Output } from '../../../proto/generated/index.js';
import type { ImageCatalog } from '../images/image-catalog.js';
import { imageSize, type ImageRecord } from '../images/image-record.js';
import { readImageUpload } from '../images/image-upload.js';
import { requireAdmin } from '../tenancy/access.js';
import { clientStream, unary, type ApiContext } from './call-handler.js';
import { emptySchema } from './request-schemas.js';

const imageRefSchema = z.object({ name: z.string().min(1, 'required').max(63) });

export function imageToWire(image: ImageRecord): Image__Output {
  return {
    name: image.name,
    arch: image.arch,
    format: image.format,
    parts: image.parts.map((p) => ({ role: p.role, sha256: p.sha256, size: p.size })),
    size: imageSize(image),
    createdAt: new Date(image.created).toISOString(),
    holder: image.holder,
    bootUrl: image.bootUrl ?? '',
  };
}

export function imageService(ctx: ApiContext, images: ImageCatalog, maxBytes: number): ImageServiceHandlers {
  return {
    AddImage: clientStream<ImageUploadChunk__Output, Image__Output>(ctx, 'AddImage', async (principal, chunks) =>
      imageToWire(await readImageUpload(principal, images, maxBytes, chunks)),
    ),
    ListImages: unary(ctx, 'ListImages', emptySchema, () => ({ images: images.list().map(imageToWire) })),
    GetImage: unary(ctx, 'GetImage', imageRefSchema, (_principal, { name }) => imageToWire(images.require(name))),
    DeleteImage: unary(ctx, 'DeleteImage', imageRefSchema, async (principal, { name }) => {
      requireAdmin(principal, 'delete images');
      await images.delete(principal, name);
      return {};
    }),
  };
}
