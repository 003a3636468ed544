// An OS image as stored: its name, what its bytes are (one disk image, or a kernel, an initrd and
// a root filesystem) and where they live. The bytes are content-addressed files in the data dir
// of the coordinator that took the upload (`holder`), whose boot service (`bootUrl`) serves them.

export const IMAGE_ARCHES = ['amd64', 'arm64'] as const;
export type ImageArch = (typeof IMAGE_ARCHES)[number];

export const IMAGE_FORMATS = ['raw', 'qcow2'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const PART_ROLES = ['disk', 'kernel', 'initrd', 'rootfs'] as const;
export type PartRole = (typeof PART_ROLES)[number];

/** The two shapes an image comes in, as the roles of its parts in upload order. */
export const IMAGE_LAYOUTS: readonly (readonly PartRole[])[] = [['disk'], ['kernel', 'initrd', 'rootfs']];

export interface ImagePart {
  readonly role: PartRole;
  /** 64 lowercase hex digits: the file images/sha256/<sha256> on the holder. */
  readonly sha256: string;
  readonly size: number;
}

export interface ImageRecord {
  readonly name: string;
  readonly arch: ImageArch;
  /** The format of the disk part, or of the rootfs part. */
  readonly format: ImageFormat;
  readonly parts: readonly ImagePart[];
  /** Milliseconds since the Unix epoch. */
  readonly created: number;
  /** The coordinator id whose data dir holds the bytes. */
  readonly holder: string;
  /** Its boot service as machines reach it, or null when it had none when the image was added. */
  readonly bootUrl: string | null;
}

/** QEMU's qcow2 header starts "QFI\xfb" (docs/interop/qcow2.txt: magic, bytes 0-3). */
export const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);

/** The part whose format the image declares: the disk, or the rootfs. */
export function formattedRole(roles: readonly PartRole[]): PartRole {
  return roles.includes('disk') ? 'disk' : 'rootfs';
}

/**
 * The format of a part from its first bytes and what was declared ('' for none): qcow2 needs the
 * magic; raw bytes starting with the qcow2 magic are refused too (they would be written to a disk
 * as a qcow2 container). Returns the format, or the problem.
 */
export function checkFormat(declared: ImageFormat | '', head: Buffer): { format: ImageFormat } | { problem: string } {
  const qcow2 = head.length >= QCOW2_MAGIC.length && head.subarray(0, QCOW2_MAGIC.length).equals(QCOW2_MAGIC);
  if (declared === '') return { format: qcow2 ? 'qcow2' : 'raw' };
  if (declared === 'qcow2' && !qcow2)
    return {
      problem: `not a qcow2 image: its first bytes are ${head.subarray(0, 4).toString('hex') || 'missing'}, not the qcow2 magic 514649fb`,
    };
  if (declared === 'raw' && qcow2) return { problem: 'declared raw, but the bytes start with the qcow2 magic (give --format qcow2)' };
  return { format: declared };
}

export function imageSize(image: Pick<ImageRecord, 'parts'>): number {
  return image.parts.reduce((sum, part) => sum + part.size, 0);
}
