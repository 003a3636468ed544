// Builds (or finds in build/'s cache) the deploy ramdisk and the minimal test image for tests, by
// running their scripts, and reads back what a guest left on a raw disk file.
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../harness/cli.js';

const run = promisify(execFile);

export interface RamdiskFiles {
  dir: string;
  kernel: string;
  initrd: string;
}

/** packaging/ramdisk/build.sh; `buildDir` for a second, independent build (the debs and the unpacked kernel are shared). */
export async function buildRamdisk(buildDir?: string): Promise<RamdiskFiles> {
  const args = [path.join(ROOT, 'packaging', 'ramdisk', 'build.sh')];
  if (buildDir) args.push('--build-dir', buildDir, '--debs-dir', path.join(ROOT, 'build', 'ramdisk', 'debs'));
  const { stdout } = await run('nice', ['-n', '10', 'bash', ...args], { maxBuffer: 1 << 20 });
  const dir = stdout.trim().split('\n').at(-1) ?? '';
  return { dir, kernel: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'initrd.img') };
}

/** test/ramdisk/build-test-image.sh: the path of the raw disk image. */
export async function buildTestImage(): Promise<string> {
  const { stdout } = await run('nice', ['-n', '10', 'bash', path.join(ROOT, 'test', 'ramdisk', 'build-test-image.sh')], {
    maxBuffer: 1 << 20,
  });
  return path.join(stdout.trim().split('\n').at(-1) ?? '', 'disk.img');
}

export async function readRange(file: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export interface MbrEntry {
  slot: number;
  type: number;
  startSector: number;
  sectors: number;
}

/** The used entries of a disk's MBR partition table. */
export async function mbrEntries(file: string): Promise<MbrEntry[]> {
  const mbr = await readRange(file, 0, 512);
  const out: MbrEntry[] = [];
  for (let slot = 1; slot <= 4; slot++) {
    const e = mbr.subarray(446 + (slot - 1) * 16, 446 + slot * 16);
    if (e[4] !== 0) out.push({ slot, type: e[4] ?? 0, startSector: e.readUInt32LE(8), sectors: e.readUInt32LE(12) });
  }
  return out;
}

/** A file's text from the FAT filesystem at byte `offset` of a disk image (mtools, read-only). */
export async function fatFile(disk: string, offset: number, name: string): Promise<string> {
  const { stdout } = await run('mtype', ['-i', `${disk}@@${offset}`, `::${name}`], {
    env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
  });
  return stdout;
}

/** The label blkid (what cloud-init's NoCloud looks CIDATA up with) sees at byte `offset` of a disk. */
export async function blkidLabel(disk: string, offset: number): Promise<string> {
  const { stdout } = await run('blkid', ['-p', '-O', String(offset), '-s', 'LABEL', '-o', 'value', disk]);
  return stdout.trim();
}
