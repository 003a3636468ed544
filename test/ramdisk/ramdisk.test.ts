// The deploy ramdisk on real QEMU machines (direct kernel boot of its kernel, uncompressed: under
// TCG a bzImage spends most of a boot decompressing itself; virtio disks, user-mode network
// restricted to one forwarded port) against a simulation of the coordinator's boot service
// (boot-service-sim.ts): deploy writes the image and the NoCloud seed, the deployed minimal test
// image boots from the disk and phones home, a corrupt image fails at verify, erase wipes disks.
// Plus: the initramfs is the same bytes when assembled twice from the same packages.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOT_SERVICE_URL, runQemuDirect, type DirectDisk } from '../harness/qemu-direct.js';
import { BootServiceSimulation, type SimDeployment } from './boot-service-sim.js';
import {
  buildRamdisk,
  buildTestImage,
  blkidLabel,
  fatFile,
  mbrEntries,
  readRange,
  uncompressedKernel,
  type RamdiskFiles,
} from './ramdisk-build.js';

const MIB = 1 << 20;
const BOOT_TIMEOUT_MS = 300_000;
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTheTestImageOnly0123456789abcdef tenant@test';

let dir: string;
let ramdisk: RamdiskFiles;
/** What the ramdisk boots are started with: the ramdisk's kernel, uncompressed when QEMU can start it so. */
let kernel: string;
let image: Buffer;
let sim: BootServiceSimulation;

function deployment(overrides: Partial<SimDeployment> = {}): SimDeployment {
  return {
    token: 'tok-deploy-1',
    image,
    metaData: 'instance-id: i-0042\nlocal-hostname: tenant-a-web1\n',
    userData: [
      '#cloud-config',
      'ssh_authorized_keys:',
      `  - ${SSH_KEY}`,
      'phone_home:',
      `  url: ${BOOT_SERVICE_URL}/phone-home/$INSTANCE_ID`,
      '  post: all',
      'power_state:',
      '  mode: poweroff',
      '',
    ].join('\n'),
    ...overrides,
  };
}

async function bootRamdisk(name: string, disks: DirectDisk[], cmdline: string): Promise<string> {
  const result = await runQemuDirect({
    boot: {
      type: 'kernel',
      kernel,
      initrd: ramdisk.initrd,
      append: `console=ttyS0 quiet mooring.url=${BOOT_SERVICE_URL} ${cmdline}`,
    },
    disks,
    bootServicePort: sim.port,
    serialLog: path.join(dir, `${name}.serial`),
    timeoutMs: BOOT_TIMEOUT_MS,
  });
  return result.serial;
}

async function patternDisk(file: string, bytes: number, byte: number): Promise<void> {
  await writeFile(file, Buffer.alloc(bytes, byte));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-ramdisk-'));
  // Both at once: they share the downloaded packages and the unpacked kernel (initramfs-lib.sh locks them).
  const [built, imageFile] = await Promise.all([buildRamdisk(), buildTestImage()]);
  ramdisk = built;
  image = await readFile(imageFile);
  kernel = (await uncompressedKernel(ramdisk.kernel, path.join(dir, 'vmlinux'))) ?? ramdisk.kernel;
  sim = await BootServiceSimulation.start(deployment());
}, 900_000);

afterAll(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('deploy ramdisk', () => {
  // The second build (another build dir) reuses the downloaded packages and the unpacked kernel
  // (both keyed by the package file, its name carrying the version): what it repeats is the part
  // that could differ between runs, assembling and packing the initramfs.
  it('is the same bytes when built again from the same packages', async () => {
    const again = await buildRamdisk(path.join(dir, 'second-build'));
    expect(again.dir).not.toBe(ramdisk.dir);
    const sum = async (f: string): Promise<string> =>
      createHash('sha256')
        .update(await readFile(f))
        .digest('hex');
    expect(await sum(again.initrd)).toBe(await sum(ramdisk.initrd));
    expect(await sum(again.kernel)).toBe(await sum(ramdisk.kernel));
  }, 600_000);

  it('deploys the image and its NoCloud seed, and the image boots from the disk and phones home', async () => {
    const disk = path.join(dir, 'deploy.img');
    const small = path.join(dir, 'deploy-too-small.img');
    await writeFile(disk, '');
    await truncate(disk, 64 * MIB);
    await writeFile(small, Buffer.alloc(8 * MIB));
    sim.set(deployment());
    // Two disks: the smallest one the image and seed fit on is chosen (the 8 MiB one is too small).
    const serial = await bootRamdisk('deploy', [{ file: small }, { file: disk }], 'mooring.token=tok-deploy-1 mooring.mode=deploy');
    expect(sim.outcome(), serial).toMatchObject({ event: 'success', mode: 'deploy', disk: 'vdb', bytes: image.length });
    expect(sim.requests.every((r) => r.authorized)).toBe(true);
    expect(sim.callbacks.filter((c) => c.event === 'progress').map((c) => c.step)).toEqual(
      expect.arrayContaining(['network', 'disk', 'download', 'verify', 'seed']),
    );

    // After poweroff: the image's bytes on the disk (but MBR entry 2, now the seed's), then a
    // 40 MiB CIDATA partition at the disk's end.
    const written = await readRange(disk, 0, image.length);
    const entry2 = [446 + 16, 446 + 32] as const;
    expect(written.subarray(...entry2).equals(image.subarray(...entry2))).toBe(false);
    image.copy(written, entry2[0], ...entry2);
    expect(createHash('sha256').update(written).digest('hex')).toBe(sim.outcome()?.sha256);
    expect(written.equals(image)).toBe(true);
    const seed = (await mbrEntries(disk)).find((e) => e.slot === 2);
    expect(seed).toEqual({ slot: 2, type: 0x0c, startSector: (24 * MIB) / 512, sectors: (40 * MIB) / 512 });
    const offset = (seed?.startSector ?? 0) * 512;
    expect(await blkidLabel(disk, offset)).toBe('CIDATA');
    expect(await fatFile(disk, offset, 'meta-data')).toBe(deployment().metaData);
    expect(await fatFile(disk, offset, 'user-data')).toBe(deployment().userData);
    expect((await readRange(small, 0, 8 * MIB)).every((b) => b === 0)).toBe(true);

    // First boot of the deployed image, from the disk (SeaBIOS, SYSLINUX, its kernel and busybox).
    const first = await runQemuDirect({
      boot: { type: 'disk' },
      disks: [{ file: disk }],
      bootServicePort: sim.port,
      serialLog: path.join(dir, 'first-boot.serial'),
      timeoutMs: BOOT_TIMEOUT_MS,
    });
    expect(first.serial).toContain('mooring-test-image: hostname=tenant-a-web1');
    expect(first.serial).toContain(`mooring-test-image: ssh key: ${SSH_KEY}`);
    expect(sim.phoneHomes).toEqual([
      { path: '/phone-home/i-0042', fields: { instance_id: 'i-0042', hostname: 'tenant-a-web1', fqdn: 'tenant-a-web1' } },
    ]);
  }, 900_000);

  it('reports a checksum mismatch, zeroes the first MiB it wrote and writes no seed', async () => {
    const disk = path.join(dir, 'corrupt.img');
    await patternDisk(disk, 64 * MIB, 0xa5);
    sim.set(deployment({ token: 'tok-corrupt', announcedSha256: 'ab'.repeat(32) }));
    sim.callbacks.length = 0;
    const serial = await bootRamdisk('corrupt', [{ file: disk }], 'mooring.token=tok-corrupt mooring.mode=deploy mooring.root_disk=vda');
    const failure = sim.outcome();
    expect(failure, serial).toMatchObject({ event: 'failure', step: 'verify', command: 'sha256 of the image' });
    expect(failure?.output).toContain(
      `checksum mismatch: expected sha256 ${'ab'.repeat(32)}, got ${createHash('sha256').update(image).digest('hex')}`,
    );
    expect(sim.callbacks.some((c) => c.event === 'success')).toBe(false);
    // The first MiB is zero (nothing bootable), the image's other bytes are there, and past the image
    // nothing was touched (no seed partition, the old pattern).
    expect((await readRange(disk, 0, MIB)).every((b) => b === 0)).toBe(true);
    expect((await readRange(disk, MIB, image.length - MIB)).equals(image.subarray(MIB))).toBe(true);
    expect((await readRange(disk, image.length, 64 * MIB - image.length)).every((b) => b === 0xa5)).toBe(true);
  }, 600_000);

  it('erase quick zeroes the first and last MiB of every disk and discards them', async () => {
    const disks = [path.join(dir, 'erase-a.img'), path.join(dir, 'erase-b.img')];
    await patternDisk(disks[0] ?? '', 16 * MIB, 0x5a);
    await patternDisk(disks[1] ?? '', 8 * MIB + 512, 0x5a);
    sim.set(deployment({ token: 'tok-erase' }));
    sim.callbacks.length = 0;
    const serial = await bootRamdisk(
      'erase',
      disks.map((file) => ({ file })),
      'mooring.token=tok-erase mooring.mode=erase mooring.erase=quick',
    );
    expect(sim.outcome(), serial).toMatchObject({ event: 'success', mode: 'erase', erase: 'quick', disks: 'vda vdb' });
    for (const file of disks) {
      const bytes = (await readFile(file)).length;
      expect((await readRange(file, 0, MIB)).every((b) => b === 0)).toBe(true);
      expect((await readRange(file, bytes - MIB, MIB)).every((b) => b === 0)).toBe(true);
    }
    expect(sim.callbacks.filter((c) => c.message?.startsWith('discarded /dev/')).length).toBe(2);
  }, 600_000);
});
