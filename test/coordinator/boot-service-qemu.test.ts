// The real deploy ramdisk against this coordinator's boot service (not the simulation in
// test/ramdisk/): one QEMU machine (TCG unless MOORING_QEMU_ACCEL=kvm; direct kernel boot with the
// kernel command line the machine's iPXE script gives; user-mode network that reaches only the
// boot service) deploys an image uploaded through the ImageService, reports to the callback, and
// the sequence's entry point sees the outcome. The deployed image's first boot is
// test/ramdisk/ramdisk.test.ts's job (one boot here keeps this file short).
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageUploadChunk } from '../../proto/generated/index.js';
import { BOOT_SERVICE_URL, runQemuDirect } from '../harness/qemu-direct.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { buildRamdisk, buildTestImage, mbrEntries, readRange, type RamdiskFiles } from '../ramdisk/ramdisk-build.js';

const MIB = 1 << 20;
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIQemuBootServiceTestKeyOnly0123456789abcdef tenant@test';

let fx: CoordinatorFixture;
let dir: string;
let ramdisk: RamdiskFiles;
let image: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-boot-qemu-'));
  ramdisk = await buildRamdisk();
  image = await readFile(await buildTestImage());
  fx = await startCoordinator({ flags: { bootListen: '127.0.0.1:0', bootUrl: BOOT_SERVICE_URL, ramdiskDir: ramdisk.dir } });
  const chunks: ImageUploadChunk[] = [{ header: { name: 'test-image', roles: ['disk'] } }];
  for (let at = 0; at < image.length; at += 512 * 1024) chunks.push({ data: { role: 'disk', data: image.subarray(at, at + 512 * 1024) } });
  await fx.admin.clientStream('ImageService', 'AddImage', chunks);
}, 900_000);

afterAll(async () => {
  await fx?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('deploy ramdisk against the boot service', () => {
  it('deploys the image named by the step, writes the seed and reports success to the callback', async () => {
    const machine = await fx.machine('tenant-web1');
    const userData = '#cloud-config\nhostname: tenant-web1\n';
    const step = await fx.coordinator.boot.steps.start({
      machineId: machine.id,
      step: 'write-image',
      mode: 'deploy',
      image: 'test-image',
      userData,
      sshKeys: [SSH_KEY],
      rootDisk: 'vda',
    });
    // The script as iPXE would fetch it; the guest is then started with its kernel command line.
    const local = fx.coordinator.boot.listening!;
    const script = await (await fetch(`http://127.0.0.1:${local.port}/boot/v1/ipxe/${step.token}`)).text();
    const kernelLine = script.split('\n').find((l) => l.startsWith('kernel '))!;
    const append = kernelLine
      .split(' ')
      .slice(2)
      .filter((arg) => !arg.startsWith('initrd='))
      .join(' ');
    expect(append).toContain(`mooring.url=${BOOT_SERVICE_URL} mooring.token=${step.token} mooring.mode=deploy`);

    const disk = path.join(dir, 'deploy.img');
    await writeFile(disk, '');
    await truncate(disk, 64 * MIB);
    const outcome = fx.coordinator.boot.steps.outcome(machine.id, 'write-image', { timeoutMs: 600_000 });
    const run = await runQemuDirect({
      boot: { type: 'kernel', kernel: ramdisk.kernel, initrd: ramdisk.initrd, append: `quiet ${append}` },
      disks: [{ file: disk }],
      bootServicePort: local.port,
      serialLog: path.join(dir, 'deploy.serial'),
      timeoutMs: 600_000,
    });
    const sha = createHash('sha256').update(image).digest('hex');
    await expect(outcome, run.serial).resolves.toMatchObject({
      type: 'success',
      details: { mode: 'deploy', disk: 'vda', bytes: String(image.length), sha256: sha },
    });

    // The image on the disk (but MBR entry 2, now the seed's partition), the seed from the grant.
    const written = await readRange(disk, 0, image.length);
    image.copy(written, 446 + 16, 446 + 16, 446 + 32);
    expect(written.equals(image)).toBe(true);
    expect((await mbrEntries(disk)).find((e) => e.slot === 2)).toMatchObject({ type: 0x0c, sectors: (40 * MIB) / 512 });
    const { events } = await fx.admin.call('EventService', 'ListEvents', { machine: machine.id, limit: 5000 });
    const steps = events.filter((e) => e.kind === 'boot.progress').map((e) => e.details['ramdiskStep']);
    expect(steps).toEqual(expect.arrayContaining(['network', 'disk', 'download', 'verify', 'seed']));
    // Spent: the token opens nothing any more.
    const after = await fetch(`http://127.0.0.1:${local.port}/ramdisk/v1/seed/user-data`, {
      headers: { authorization: `Bearer ${step.token}` },
    });
    expect(after.status).toBe(401);
  }, 600_000);
});
