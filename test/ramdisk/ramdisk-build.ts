// Builds (or finds in build/'s cache) the deploy ramdisk and the minimal test image for tests, by
// running their scripts, and reads back what a guest left on a raw disk file. The builds run at the
// test's own priority (they used to run under nice -n 10, which on a busy machine left the longest
// test file waiting for CPU behind every other file's daemons: it is on the suite's critical path).
import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
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
  const { stdout } = await run('bash', args, { maxBuffer: 1 << 20 });
  const dir = stdout.trim().split('\n').at(-1) ?? '';
  return { dir, kernel: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'initrd.img') };
}

/** test/ramdisk/build-test-image.sh: the path of the raw disk image. */
export async function buildTestImage(): Promise<string> {
  const { stdout } = await run('bash', [path.join(ROOT, 'test', 'ramdisk', 'build-test-image.sh')], { maxBuffer: 1 << 20 });
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

/**
 * The kernel in a bzImage, uncompressed into `out`, when QEMU can start it directly: an ELF with
 * the PVH entry note (Xen's PHYS32_ENTRY, 0x12, which QEMU >= 4.0 boots from -kernel). Else null
 * (then boot the bzImage). Under TCG a bzImage spends most of a boot decompressing itself (the
 * boot stub runs emulated: 29 of 36 s here); started uncompressed, the same kernel is at /init in
 * seconds. Only the decompressor is skipped; the tests of the deployed disk boot the bzImage.
 */
export async function uncompressedKernel(bzImage: string, out: string): Promise<string | null> {
  const image = await readFile(bzImage);
  // x86 boot protocol (Documentation/arch/x86/boot.rst): setup_sects at 0x1f1 (0 means 4), then
  // payload_offset and payload_length at 0x248, from the start of the protected-mode code.
  const setupSectors = image[0x1f1] || 4;
  const start = (setupSectors + 1) * 512 + image.readUInt32LE(0x248);
  const payload = image.subarray(start, start + image.readUInt32LE(0x24c));
  const tool = payload.subarray(0, 6).equals(Buffer.from('fd377a585a00', 'hex'))
    ? 'xz'
    : payload.subarray(0, 2).equals(Buffer.from('1f8b', 'hex'))
      ? 'gzip'
      : null;
  if (!tool) return null;
  // The payload ends with the kernel's size after the compressed stream: xz is told to stop at
  // the stream's end; gzip ignores it with a warning (exit 2).
  const decompress = spawn(tool, tool === 'xz' ? ['-dc', '--single-stream'] : ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise<number | null>((resolve) => decompress.once('close', resolve));
  decompress.stdin.end(payload);
  await pipeline(decompress.stdout, createWriteStream(out));
  const code = await exited;
  if (code !== 0 && !(tool === 'gzip' && code === 2)) return null;
  const { stdout } = await run('readelf', ['-n', out]).catch(() => ({ stdout: '' }));
  return /^\s*Xen\s+0x[0-9a-f]+\s+.*\(0x00000012\)/m.test(stdout) ? out : null;
}
