// Reads an AddImage stream: a header, then each part's bytes in the header's order. Every part is
// written to a temp file while its sha256 is computed (image-blobs.ts); the format is checked on
// the first bytes; the size limit is enforced as bytes arrive. Nothing is stored unless the whole
// stream was right: on any problem every temp file is dropped.
import { z } from 'zod';
import type { ImageUploadChunk__Output } from '../../../proto/generated/index.js';
import { parseRequest } from '../api/request-schemas.js';
import type { Principal } from '../tenancy/user.js';
import { requireAdmin } from '../tenancy/access.js';
import { ImageTooLargeError, ImageUploadError } from './errors.js';
import type { BlobUpload } from './image-blobs.js';
import type { ImageCatalog } from './image-catalog.js';
import {
  checkFormat,
  formattedRole,
  IMAGE_ARCHES,
  IMAGE_FORMATS,
  IMAGE_LAYOUTS,
  type ImagePart,
  type ImageRecord,
  type PartRole,
} from './image-record.js';

export const IMAGE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const headerSchema = z.object({
  name: z.string().regex(IMAGE_NAME, 'must be 1-63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit'),
  arch: z
    .union([z.literal(''), z.enum(IMAGE_ARCHES)], { error: `must be one of ${IMAGE_ARCHES.join(', ')}` })
    .transform((a) => a || 'amd64'),
  format: z.union([z.literal(''), z.enum(IMAGE_FORMATS)], { error: `must be one of ${IMAGE_FORMATS.join(', ')}` }),
  roles: z
    .array(z.string())
    .refine((roles) => IMAGE_LAYOUTS.some((l) => l.join() === roles.join()), 'must be ["disk"] or ["kernel", "initrd", "rootfs"]')
    .transform((roles) => roles as PartRole[]),
});

export async function readImageUpload(
  principal: Principal,
  catalog: ImageCatalog,
  maxBytes: number,
  chunks: AsyncIterable<ImageUploadChunk__Output>,
): Promise<ImageRecord> {
  requireAdmin(principal, 'add images');
  const uploads: BlobUpload[] = [];
  try {
    let header: z.output<typeof headerSchema> | null = null;
    let total = 0;
    for await (const chunk of chunks) {
      if (header === null) {
        if (chunk.item !== 'header' || !chunk.header) throw new ImageUploadError('header', 'the first message must be the header');
        header = parseRequest(headerSchema, chunk.header);
        catalog.checkFree(header.name);
        continue;
      }
      if (chunk.item !== 'data' || !chunk.data) throw new ImageUploadError('header', 'sent twice');
      const { role, data } = chunk.data;
      const current = header.roles[uploads.length - 1];
      if (role !== current) {
        const next = header.roles[uploads.length];
        if (role !== next)
          throw new ImageUploadError(
            'data.role',
            `expected ${[current, next].filter(Boolean).join(' or ')}, got "${role}" (parts come in the header's order)`,
          );
        uploads.push(await catalog.blobs.begin());
      }
      total += data.length;
      if (total > maxBytes) throw new ImageTooLargeError(maxBytes);
      await uploads.at(-1)!.write(data);
    }
    if (header === null) throw new ImageUploadError('header', 'the stream ended before the header');
    const roles = header.roles;
    if (uploads.length < roles.length) throw new ImageUploadError('data', `part ${roles[uploads.length]} is missing (or empty)`);
    const checked = checkFormat(header.format, uploads[roles.indexOf(formattedRole(roles))]!.firstBytes);
    if ('problem' in checked) throw new ImageUploadError('format', checked.problem);
    const parts: ImagePart[] = [];
    for (const [i, upload] of uploads.entries()) parts.push({ role: roles[i]!, sha256: await upload.finish(), size: upload.size });
    return await catalog.add(principal, { name: header.name, arch: header.arch, format: checked.format, parts }, uploads);
  } finally {
    for (const upload of uploads) await upload.drop();
  }
}
