// Where the deploy ramdisk's vmlinuz and initrd.img are: the configured directory, or the newest
// build of packaging/ramdisk/build.sh under build/ramdisk/<key>/ in the package's root.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RAMDISK_INITRD, RAMDISK_KERNEL } from './ipxe-script.js';

function holdsRamdisk(dir: string): boolean {
  return existsSync(join(dir, RAMDISK_KERNEL)) && existsSync(join(dir, RAMDISK_INITRD));
}

/** The package root: the folder above this module holding package.json (from source or from dist/). */
function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return null;
}

/** The ramdisk's directory, or null when there is none (the ramdisk routes then answer 404 saying so). */
export function findRamdiskDir(configured: string | null): string | null {
  if (configured !== null) return configured;
  const root = packageRoot();
  if (root === null) return null;
  const builds = join(root, 'build', 'ramdisk');
  const candidates = existsSync(builds)
    ? readdirSync(builds)
        .map((name) => join(builds, name))
        .filter(holdsRamdisk)
    : [];
  candidates.sort((a, b) => statSync(join(b, RAMDISK_INITRD)).mtimeMs - statSync(join(a, RAMDISK_INITRD)).mtimeMs);
  return candidates[0] ?? null;
}
