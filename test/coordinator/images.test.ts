// Images against a real coordinator (gRPC over TLS, LMDB in a temp dir): client-streamed uploads
// of raw, qcow2 and kernel+initrd+rootfs images, content-addressed bytes on disk (0600, stored
// once), refusals (wrong magic, taken name, size limit, members), delete refused while a deploy
// step uses the image; then moorctl image add/list/show/delete as a real process.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { ImageUploadChunk } from '../../proto/generated/index.js';
import { failure } from '../harness/call-outcome.js';
import { moorctl, expectJson } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

const MIB = 1 << 20;
const MAX_BYTES = 4 * MIB;

/** A raw disk image: random bytes with an MBR signature. */
function rawDisk(bytes: number): Buffer {
  const disk = randomBytes(bytes);
  disk.fill(0, 0, 4); // not the qcow2 magic by chance
  disk[510] = 0x55;
  disk[511] = 0xaa;
  return disk;
}

/** The start of a qcow2 file (version 3 header: magic, version); the rest does not matter to the check. */
function qcow2Image(bytes: number): Buffer {
  const image = Buffer.alloc(bytes);
  Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]).copy(image);
  randomBytes(1024).copy(image, 4096);
  return image;
}

function* chunks(name: string, parts: [string, Buffer][], options: { format?: string; arch?: string } = {}): Generator<ImageUploadChunk> {
  yield { header: { name, arch: options.arch ?? '', format: options.format ?? '', roles: parts.map(([role]) => role) } };
  for (const [role, bytes] of parts)
    for (let at = 0; at < bytes.length; at += 300_000) yield { data: { role, data: bytes.subarray(at, at + 300_000) } };
}

async function expectCode(call: Promise<unknown>, code: grpc.status, details: RegExp): Promise<void> {
  const failed = await failure(call);
  expect(failed.code, failed.details).toBe(grpc.status[code]);
  expect(failed.details).toMatch(details);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let fx: CoordinatorFixture;
let member: CoordinatorClient;

const add = (client: CoordinatorClient, name: string, parts: [string, Buffer][], options?: { format?: string }) =>
  client.clientStream('ImageService', 'AddImage', chunks(name, parts, options));

const blobs = (): string[] => readdirSync(join(fx.dataDir, 'images', 'sha256'));

beforeAll(async () => {
  fx = await startCoordinator({ flags: { bootListen: '127.0.0.1:0', imageMaxBytes: MAX_BYTES } });
  member = await fx.user('mia', 'member');
});

afterAll(async () => {
  await fx?.close();
});

describe('ImageService', () => {
  const disk = rawDisk(3 * MIB + 512);

  it('adds a raw disk image: sha256 computed while streaming, bytes content-addressed, 0600', async () => {
    const image = await add(fx.admin, 'debian-12', [['disk', disk]]);
    expect(image).toMatchObject({ name: 'debian-12', arch: 'amd64', format: 'raw', size: disk.length, holder: expect.any(String) });
    expect(image.parts).toEqual([{ role: 'disk', sha256: sha(disk), size: disk.length }]);
    expect(image.bootUrl).toBe(fx.coordinator.bootUrl);
    const file = join(fx.dataDir, 'images', 'sha256', sha(disk));
    expect(statSync(file).size).toBe(disk.length);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(fx.dataDir, 'images', 'tmp'))).toEqual([]);
  });

  it('stores the same bytes once under two names', async () => {
    const before = blobs().length;
    await add(fx.admin, 'debian-12-copy', [['disk', disk]]);
    expect(blobs().length).toBe(before);
    await fx.admin.call('ImageService', 'DeleteImage', { name: 'debian-12-copy' });
    expect(blobs()).toContain(sha(disk)); // still referenced by debian-12
  });

  it('adds qcow2 images, declared or read from the magic; refuses a wrong magic and a qcow2 declared raw', async () => {
    const q = qcow2Image(MIB);
    expect((await add(fx.admin, 'cirros-q', [['disk', q]], { format: 'qcow2' })).format).toBe('qcow2');
    expect((await add(fx.admin, 'cirros-q2', [['disk', Buffer.concat([q, Buffer.from([1])])]])).format).toBe('qcow2');
    const before = blobs();
    await expectCode(
      add(fx.admin, 'not-qcow', [['disk', rawDisk(MIB)]], { format: 'qcow2' }),
      grpc.status.INVALID_ARGUMENT,
      /not a qcow2 image/,
    );
    await expectCode(add(fx.admin, 'raw-but-q', [['disk', q]], { format: 'raw' }), grpc.status.INVALID_ARGUMENT, /qcow2 magic/);
    expect(blobs()).toEqual(before);
    expect(readdirSync(join(fx.dataDir, 'images', 'tmp'))).toEqual([]);
    await expectCode(fx.admin.call('ImageService', 'GetImage', { name: 'not-qcow' }), grpc.status.NOT_FOUND, /image not-qcow not found/);
  });

  it('adds a kernel, initrd and rootfs image; refuses parts out of order or missing', async () => {
    const [k, i, r] = [randomBytes(1000), randomBytes(2000), rawDisk(MIB)];
    const image = await add(fx.admin, 'split', [
      ['kernel', k],
      ['initrd', i],
      ['rootfs', r],
    ]);
    expect(image.parts.map((p) => [p.role, p.sha256])).toEqual([
      ['kernel', sha(k)],
      ['initrd', sha(i)],
      ['rootfs', sha(r)],
    ]);
    const outOfOrder = fx.admin.clientStream('ImageService', 'AddImage', [
      { header: { name: 'bad-order', roles: ['kernel', 'initrd', 'rootfs'] } },
      { data: { role: 'initrd', data: i } },
    ]);
    await expectCode(outOfOrder, grpc.status.INVALID_ARGUMENT, /expected kernel, got "initrd"/);
    const missing = fx.admin.clientStream('ImageService', 'AddImage', [
      { header: { name: 'missing', roles: ['kernel', 'initrd', 'rootfs'] } },
      { data: { role: 'kernel', data: k } },
    ]);
    await expectCode(missing, grpc.status.INVALID_ARGUMENT, /part initrd is missing/);
  });

  it('refuses a taken name, an image past imageMaxBytes, and a stream without a header', async () => {
    await expectCode(add(fx.admin, 'debian-12', [['disk', rawDisk(MIB)]]), grpc.status.ALREADY_EXISTS, /image debian-12 already exists/);
    await expectCode(add(fx.admin, 'huge', [['disk', rawDisk(MAX_BYTES + 1)]]), grpc.status.RESOURCE_EXHAUSTED, /imageMaxBytes 4194304/);
    await expectCode(
      fx.admin.clientStream('ImageService', 'AddImage', [{ data: { role: 'disk', data: disk.subarray(0, 10) } }]),
      grpc.status.INVALID_ARGUMENT,
      /first message must be the header/,
    );
    expect(readdirSync(join(fx.dataDir, 'images', 'tmp'))).toEqual([]);
  });

  it('lets members list and show but not add or delete', async () => {
    const { images } = await member.call('ImageService', 'ListImages', {});
    expect(images.map((i) => i.name)).toEqual(expect.arrayContaining(['debian-12', 'split', 'cirros-q']));
    expect((await member.call('ImageService', 'GetImage', { name: 'debian-12' })).parts[0]?.sha256).toBe(sha(disk));
    await expectCode(add(member, 'mine', [['disk', rawDisk(MIB)]]), grpc.status.PERMISSION_DENIED, /mia may not add images/);
    await expectCode(member.call('ImageService', 'DeleteImage', { name: 'debian-12' }), grpc.status.PERMISSION_DENIED, /delete images/);
  });

  it('refuses to delete an image a deploy step uses, naming the machine; deletes it and its bytes once the step ends', async () => {
    // The deploy sequence is not there yet: the step is started through its entry point (boot/boot-steps.ts).
    const machine = await fx.machine('web-7');
    await fx.coordinator.boot.steps.start({ machineId: machine.id, step: 'write-image', mode: 'deploy', image: 'debian-12' });
    await expectCode(
      fx.admin.call('ImageService', 'DeleteImage', { name: 'debian-12' }),
      grpc.status.FAILED_PRECONDITION,
      /image debian-12 is in use by a deployment to machine web-7/,
    );
    expect(await fx.coordinator.boot.steps.revoke(machine.id)).toBe(1);
    await fx.admin.call('ImageService', 'DeleteImage', { name: 'debian-12' });
    expect(blobs()).not.toContain(sha(disk));
    await expectCode(fx.admin.call('ImageService', 'DeleteImage', { name: 'debian-12' }), grpc.status.NOT_FOUND, /not found/);
  });
});

describe('moorctl image', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mooring-image-cli-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, fx.adminToken, { mode: 0o600 });
    writeFileSync(join(dir, 'ca.crt'), fx.caPem);
    env = { MOORING_COORDINATOR: fx.address, MOORING_CA: join(dir, 'ca.crt'), MOORING_TOKEN: fx.adminToken };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds, lists, shows and deletes an image end to end', async () => {
    const file = join(dir, 'tiny.raw');
    const bytes = rawDisk(MIB + 4096);
    writeFileSync(file, bytes);
    const added = await expectJson(moorctl(['--json', 'image', 'add', 'tiny', '--disk', file], env));
    expect(added).toMatchObject({ name: 'tiny', format: 'raw', size: bytes.length, parts: [{ role: 'disk', sha256: sha(bytes) }] });
    const listed = await expectJson(moorctl(['--json', 'image', 'list'], env));
    expect((listed['images'] as { name: string }[]).map((i) => i.name)).toContain('tiny');
    const shown = await moorctl(['image', 'show', 'tiny'], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`disk\\s+${bytes.length}\\s+${sha(bytes)}`));
    expect(shown.stdout).toContain(`HOLDER`);
    const usage = await moorctl(['image', 'add', 'x', '--kernel', file], env);
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringMatching(/all of --kernel, --initrd and --rootfs/) });
    const wrong = await moorctl(['image', 'add', 'tiny-q', '--disk', file, '--format', 'qcow2'], env);
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringMatching(/not a qcow2 image.*INVALID_ARGUMENT/) });
    expect((await moorctl(['image', 'delete', 'tiny'], env)).stdout).toBe('deleted image tiny\n');
    expect(existsSync(join(fx.dataDir, 'images', 'sha256', sha(bytes)))).toBe(false);
  });
});
