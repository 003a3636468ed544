// The image deploy's and the erasing release's part of the coordinator configuration (config.ts
// merges it): bounds on the ramdisk's and the first boot's callbacks, and how a release erases.
import { z } from 'zod';
import { ERASE_MODES, type EraseMode } from '../boot/deploy-grant.js';

export interface ImageDeploySettings {
  /** Bound on the ramdisk's outcome (write the image, or erase the disks), from its power-on. */
  readonly ramdiskTimeoutMs: number;
  /** Bound on the first boot's phone-home, from the power-on from disk. */
  readonly firstBootTimeoutMs: number;
  /** How a release erases the disks when a provisioning network and the boot service are configured; off: never. */
  readonly releaseErase: EraseMode | 'off';
}

export const imageDeploySourceShape = {
  ramdiskTimeoutMs: z.coerce.number().int().min(100).max(86_400_000),
  firstBootTimeoutMs: z.coerce.number().int().min(100).max(86_400_000),
  releaseErase: z.enum([...ERASE_MODES, 'off']),
};

export const IMAGE_DEPLOY_ENV_KEYS = {
  MOORING_RAMDISK_TIMEOUT_MS: 'ramdiskTimeoutMs',
  MOORING_FIRST_BOOT_TIMEOUT_MS: 'firstBootTimeoutMs',
  MOORING_RELEASE_ERASE: 'releaseErase',
} as const;

export function imageDeploySettings(source: Partial<ImageDeploySettings>): ImageDeploySettings {
  return Object.freeze({
    ramdiskTimeoutMs: source.ramdiskTimeoutMs ?? 3_600_000,
    firstBootTimeoutMs: source.firstBootTimeoutMs ?? 1_200_000,
    releaseErase: source.releaseErase ?? 'quick',
  });
}
