// The boot service of a real coordinator (its plain-HTTP listener, LMDB in a temp dir) as iPXE and
// the deploy ramdisk speak to it (packaging/ramdisk/README.md): the per-machine iPXE script, the
// ramdisk files, the image with Range, the NoCloud seed, the callbacks recorded as events and
// awaited by the sequence's entry point; tokens scoped to one machine and one step, spent by the
// outcome, revoked, expired, bound to an address; no token in the logs.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { StartedBootStep } from '../../coordinator/src/boot/boot-steps.js';
import { tokenKey, type DeployGrant } from '../../coordinator/src/boot/deploy-grant.js';
import { ManualClock } from '../../coordinator/src/clock.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { DATABASE_FILE } from '../../coordinator/src/store/data-dir.js';
import type { Machine__Output } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

const MIB = 1 << 20;
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBootServiceTestKeyOnly0123456789abcdefgh tenant@test';

let fx: CoordinatorFixture;
let dir: string;
let logText = '';
const clock = new ManualClock(Date.now());
const image = randomBytes(MIB + 1234 + 4096);
image[510] = 0x55;
image[511] = 0xaa;
const imageSha = createHash('sha256').update(image).digest('hex');
const kernel = randomBytes(70_000);
let web1: Machine__Output;
let web2: Machine__Output;

const api = (path: string): string => `${fx.coordinator.bootUrl!}/ramdisk/v1${path}`;
const get = (path: string, token: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(api(path), { headers: { authorization: `Bearer ${token}`, ...headers } });
const callback = (token: string, body: unknown): Promise<Response> =>
  fetch(api('/callback'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function deployStep(machine: Machine__Output, step: string, extra: Record<string, unknown> = {}): Promise<StartedBootStep> {
  return fx.coordinator.boot.steps.start({
    machineId: machine.id,
    step,
    mode: 'deploy',
    image: 'tiny',
    userData: '#cloud-config\nruncmd: [echo hi]\n',
    sshKeys: [SSH_KEY],
    rootDisk: 'vda',
    ...extra,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mooring-boot-'));
  writeFileSync(join(dir, 'vmlinuz'), kernel);
  writeFileSync(join(dir, 'initrd.img'), randomBytes(5000));
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  fx = await startCoordinator({
    clock,
    logger: createLogger('debug', logs),
    flags: { bootListen: '127.0.0.1:0', ramdiskDir: dir },
  });
  await fx.admin.clientStream('ImageService', 'AddImage', [
    { header: { name: 'tiny', roles: ['disk'] } },
    { data: { role: 'disk', data: image.subarray(0, MIB / 2) } },
    { data: { role: 'disk', data: image.subarray(MIB / 2) } },
  ]);
  web1 = await fx.machine('web-1');
  web2 = await fx.machine('web-2');
});

afterAll(async () => {
  await fx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('boot service', () => {
  it('serves the machine its iPXE script: the ramdisk from the boot service, the token, mode, disk and end action', async () => {
    const step = await deployStep(web1, 'write-image', { endAction: 'reboot' });
    expect(step.scriptUrl).toBe(`${fx.coordinator.bootUrl!}/boot/v1/ipxe/${step.token}`);
    expect(step.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    const script = await (await fetch(step.scriptUrl)).text();
    const base = fx.coordinator.bootUrl!;
    expect(script.split('\n')[0]).toBe('#!ipxe');
    expect(script).toContain(`initrd ${base}/boot/v1/ramdisk/initrd.img\n`);
    const kernelLine = script.split('\n').find((l) => l.startsWith('kernel '))!;
    expect(kernelLine.split(' ')).toEqual(
      expect.arrayContaining([
        `${base}/boot/v1/ramdisk/vmlinuz`,
        `mooring.url=${base}`,
        `mooring.token=${step.token}`,
        'mooring.mode=deploy',
        'mooring.root_disk=vda',
        'mooring.end=reboot',
      ]),
    );
    const fetched = await fetch(`${base}/boot/v1/ramdisk/vmlinuz`);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(kernel)).toBe(true);
    expect((await fetch(`${base}/boot/v1/ipxe/${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('serves instructions and the image whole and by Range (first bytes, middle, suffix, open end; 416 past the end)', async () => {
    const { token } = await deployStep(web1, 'write-image');
    expect(await (await get('/instructions', token)).text()).toBe(`image_sha256=${imageSha}\nimage_size=${image.length}\n`);
    const whole = await get('/image', token);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('etag')).toBe(`"${imageSha}"`);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(image)).toBe(true);
    const cases: [string, number, number][] = [
      ['bytes=0-511', 0, 511],
      ['bytes=1048576-1049599', 1048576, 1049599],
      ['bytes=-100', image.length - 100, image.length - 1],
      [`bytes=${image.length - 10}-`, image.length - 10, image.length - 1],
      [`bytes=5-${image.length + 99}`, 5, image.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await get('/image', token, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${image.length}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(image.subarray(start, end + 1)), range).toBe(true);
    }
    for (const range of [`bytes=${image.length}-`, 'bytes=-0']) {
      const res = await get('/image', token, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${image.length}`);
    }
    // Several ranges are answered with the whole image (RFC 9110 §14.2 lets a server ignore Range).
    expect((await get('/image', token, { range: 'bytes=0-1,5-6' })).status).toBe(200);
  });

  it('renders the NoCloud seed from the deployment: hostname, SSH keys, user-data as given; no network-config', async () => {
    const { token } = await deployStep(web1, 'write-image');
    const meta = parseYaml(await (await get('/seed/meta-data', token)).text()) as Record<string, unknown>;
    expect(meta).toEqual({ 'instance-id': web1.id, 'local-hostname': 'web-1', 'public-keys': [SSH_KEY] });
    expect(await (await get('/seed/user-data', token)).text()).toBe('#cloud-config\nruncmd: [echo hi]\n');
    expect((await get('/seed/network-config', token)).status).toBe(404);
  });

  it('keeps the user-data sealed in the stored token record and serves it opened to the holder of the token', async () => {
    const secret = `password-${randomBytes(8).toString('hex')}`;
    const given = `#cloud-config\npassword: ${secret}\nchpasswd: { expire: false }\n`;
    const { token } = await deployStep(web1, 'write-image', { userData: given });
    const { bootTokens } = fx.coordinator.store.tables;
    // The database file's bytes (every page, free ones too), and the record as decoded.
    expect(readFileSync(join(fx.dataDir, DATABASE_FILE)).includes(Buffer.from(secret))).toBe(false);
    const record = bootTokens.get(tokenKey(token)) as DeployGrant;
    expect(record.userData).toBeUndefined();
    expect(Buffer.from(record.sealedUserData).includes(Buffer.from(secret))).toBe(false);
    expect(await (await get('/seed/user-data', token)).text()).toBe(given);

    // A record an older coordinator wrote (user-data in plain text) is still served.
    const { sealedUserData: _sealed, ...older } = record;
    await fx.coordinator.store.write(() => bootTokens.putSync(tokenKey(token), { ...older, userData: '#cloud-config\nolder: true\n' }));
    expect(await (await get('/seed/user-data', token)).text()).toBe('#cloud-config\nolder: true\n');
  });

  it("scopes a token to its machine and step: each token opens only its own seed; the machine's older token ends", async () => {
    const first = await deployStep(web1, 'write-image');
    const second = await deployStep(web1, 'write-image-again');
    const other = await fx.coordinator.boot.steps.start({ machineId: web2.id, step: 'erase', mode: 'erase', erase: 'secure' });
    expect((await get('/instructions', first.token)).status).toBe(401);
    expect((await fetch(first.scriptUrl)).status).toBe(404);
    expect(await (await get('/seed/meta-data', second.token)).text()).toContain('local-hostname: web-1');
    expect(await (await get('/seed/meta-data', other.token)).text()).toContain('local-hostname: web-2');
    // An erase step has no image to give, whatever token asks.
    expect((await get('/image', other.token)).status).toBe(404);
    expect(await (await fetch(other.scriptUrl)).text()).toMatch(/mooring\.mode=erase .*mooring\.erase=secure/);
    expect((await get('/instructions', 'not-a-token')).status).toBe(401);
    expect((await fetch(api('/instructions'))).status).toBe(401);
  });

  it('serves a token bound to an address only to that address', async () => {
    const bound = await deployStep(web2, 'write-image', { clientAddress: '10.99.0.7' });
    expect((await fetch(bound.scriptUrl)).status).toBe(404);
    expect((await get('/instructions', bound.token)).status).toBe(401);
    const here = await deployStep(web2, 'write-image', { clientAddress: '127.0.0.1' });
    expect((await get('/instructions', here.token)).status).toBe(200);
  });

  it('records callbacks as events; the outcome ends the wait and spends the token', async () => {
    const { token } = await deployStep(web1, 'write-image');
    const outcome = fx.coordinator.boot.steps.outcome(web1.id, 'write-image', { timeoutMs: 60_000 });
    expect((await callback(token, { event: 'progress', step: 'download', message: 'wrote 2098386 bytes to /dev/vda' })).status).toBe(200);
    expect((await callback(token, { event: 'success', mode: 'deploy', disk: 'vda', bytes: image.length, sha256: imageSha })).status).toBe(
      200,
    );
    await expect(outcome).resolves.toMatchObject({
      type: 'success',
      details: { disk: 'vda', bytes: String(image.length), sha256: imageSha },
    });
    expect((await get('/instructions', token)).status).toBe(401);
    expect((await callback(token, { event: 'progress', step: 'seed', message: 'late' })).status).toBe(401);
    // Asked again (a resumed sequence), the stored outcome answers at once.
    await expect(fx.coordinator.boot.steps.outcome(web1.id, 'write-image', { timeoutMs: 1 })).resolves.toMatchObject({ type: 'success' });
    const { events } = await fx.admin.call('EventService', 'ListEvents', { machine: web1.id, limit: 5000 });
    const boot = events.filter((e) => e.kind.startsWith('boot.') && e.details['step'] === 'write-image').slice(-3);
    expect(boot.map((e) => [e.kind, e.actor])).toEqual([
      ['boot.started', 'system'],
      ['boot.progress', 'ramdisk'],
      ['boot.succeeded', 'ramdisk'],
    ]);
    expect(boot[1]?.why).toBe('download: wrote 2098386 bytes to /dev/vda');
  });

  it('records a failure with its reason; refuses a malformed callback', async () => {
    const { token } = await deployStep(web2, 'write-image');
    expect((await callback(token, { event: 'finished' })).status).toBe(400);
    const outcome = fx.coordinator.boot.steps.outcome(web2.id, 'write-image', { timeoutMs: 60_000 });
    const output = `checksum mismatch: expected sha256 ${imageSha}, got 00`;
    expect((await callback(token, { event: 'failure', step: 'verify', command: 'sha256 of the image', output })).status).toBe(200);
    await expect(outcome).resolves.toEqual({
      type: 'failure',
      time: expect.any(Number),
      reason: `verify: sha256 of the image: ${output}`,
      details: { ramdiskStep: 'verify', command: 'sha256 of the image' },
    });
  });

  it('ends tokens when revoked and when they expire; a wait without an outcome is bounded', async () => {
    const revoked = await deployStep(web1, 'write-image');
    expect(await fx.coordinator.boot.steps.revoke(web1.id)).toBe(1);
    expect((await get('/seed/user-data', revoked.token)).status).toBe(401);
    const expiring = await deployStep(web1, 'write-image', { ttlMs: 60_000 });
    expect((await get('/seed/user-data', expiring.token)).status).toBe(200);
    clock.advance(60_000);
    expect((await get('/seed/user-data', expiring.token)).status).toBe(401);
    expect((await fetch(expiring.scriptUrl)).status).toBe(404);
    await expect(fx.coordinator.boot.steps.outcome(web1.id, 'never', { timeoutMs: 20 })).rejects.toThrow(
      /no outcome from the ramdisk within 20 ms/,
    );
  });

  it('refuses steps the ramdisk cannot carry out', async () => {
    await fx.admin.clientStream('ImageService', 'AddImage', [
      { header: { name: 'qimg', roles: ['disk'] } },
      { data: { role: 'disk', data: Buffer.concat([Buffer.from([0x51, 0x46, 0x49, 0xfb]), randomBytes(1000)]) } },
    ]);
    await expect(deployStep(web1, 'write-image', { image: 'qimg' })).rejects.toThrow(/qcow2; the ramdisk writes raw disk images/);
    await expect(deployStep(web1, 'write-image', { image: 'nope' })).rejects.toThrow(/image nope not found/);
    await expect(deployStep(web1, 'write-image', { rootDisk: 'vda; reboot' })).rejects.toThrow(/root disk/);
    await expect(deployStep(web1, 'write-image', { sshKeys: ['not a key\nsecond line'] })).rejects.toThrow(/not an SSH public key/);
  });

  it('keeps tokens out of the logs', () => {
    expect(logText).toContain('iPXE script served');
    expect(logText).toContain('"path":"/boot/v1/ipxe/<token>"');
    for (const line of logText.split('\n')) expect(line).not.toMatch(/mooring\.token=|Bearer |\/boot\/v1\/ipxe\/[A-Za-z0-9_-]{43}/);
  });
});
