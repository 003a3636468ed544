// Images and deploy tokens on the etcd store (a real etcd member): the records go through the
// same table interface as on LMDB; the bytes stay in this coordinator's data dir, which the
// record names as the holder. Add, list, the in-use refusal (read inside the delete's etcd
// transaction) and the boot service reading a token minted in etcd.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../harness/call-outcome.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { stopEtcd, storeFlags } from '../harness/store-backends.js';

let fx: CoordinatorFixture;
const disk = randomBytes(700_000);
disk[510] = 0x55;
disk[511] = 0xaa;
const sha = createHash('sha256').update(disk).digest('hex');

beforeAll(async () => {
  fx = await startCoordinator({ flags: { ...(await storeFlags('etcd')), bootListen: '127.0.0.1:0' } });
}, 120_000);

afterAll(async () => {
  await fx?.close();
  await stopEtcd();
});

describe('images on etcd', () => {
  it('adds, lists and serves an image, refuses its delete while a deploy step uses it, deletes it after', async () => {
    const image = await fx.admin.clientStream('ImageService', 'AddImage', [
      { header: { name: 'etcd-img', roles: ['disk'] } },
      { data: { role: 'disk', data: disk } },
    ]);
    expect(image).toMatchObject({ name: 'etcd-img', format: 'raw', size: disk.length, holder: fx.coordinator.lease.coordinatorId });
    expect((await fx.admin.call('ImageService', 'ListImages', {})).images.map((i) => i.name)).toEqual(['etcd-img']);
    const machine = await fx.machine('etcd-web');
    const step = await fx.coordinator.boot.steps.start({ machineId: machine.id, step: 'write-image', mode: 'deploy', image: 'etcd-img' });
    const res = await fetch(`${fx.coordinator.bootUrl!}/ramdisk/v1/instructions`, { headers: { authorization: `Bearer ${step.token}` } });
    expect(await res.text()).toBe(`image_sha256=${sha}\nimage_size=${disk.length}\n`);
    const refused = await failure(fx.admin.call('ImageService', 'DeleteImage', { name: 'etcd-img' }));
    expect(refused).toEqual({ code: 'FAILED_PRECONDITION', details: 'image etcd-img is in use by a deployment to machine etcd-web' });
    await fx.coordinator.boot.steps.revoke(machine.id);
    await fx.admin.call('ImageService', 'DeleteImage', { name: 'etcd-img' });
    expect(readdirSync(join(fx.dataDir, 'images', 'sha256'))).toEqual([]);
  }, 60_000);
});
