// Image deploys and erasing releases end to end: a mooring-coordinator process (dist/) with its boot
// service and a provisioning network on a real OVN (ovn-northd, ovn-controller on each smartNIC's
// OVS), simulated hosts with real ipmi_sim BMCs and smartNIC agents, driven by moorctl.
// The machine's deploy ramdisk and first boot are a SIMULATION played by this test (QEMU under TCG
// is too slow for every run; the real ramdisk against the real boot service is
// test/ramdisk/ramdisk.test.ts): it reads the boot file OVN's DHCP hands the machine's logical port
// (its DHCP_Options row, as ovn-controller serves it), fetches the iPXE script and, with the token
// on its kernel command line, the instructions, the image and the seed; posts the callbacks; and on
// the first boot posts the phone-home the seed's user-data names.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moorctl } from '../harness/coordinator-cli.js';
import type { OvnCentral } from '../harness/ovn.js';
import { SmartNicWorld, type WorldMachine } from '../harness/smartnic-world.js';
import { freePort } from '../harness/free-port.js';

const OWNER = 'e2e-image-deploy';
/**
 * The bound on the ramdisk's outcome: the never-calls-back test waits it out. The simulated
 * ramdisk answers within a second of the power-on (0.3 s in the deploy's own step timing); a
 * resumed wait starts again with the new coordinator.
 */
const RAMDISK_TIMEOUT_MS = 5000;
/** In the deploys' user-data: never in the coordinator's database file (sealed at rest). */
const USER_DATA_SECRET = `e2e-secret-${randomBytes(8).toString('hex')}`;
/** The chassis calls of one image deploy: BIOS-halt, netboot, then from disk (a resumed deploy makes no more). */
const ONE_DEPLOY_POWER_CALLS = [
  'set boot bios',
  'set power 1',
  'set boot pxe',
  'set power 0',
  'set power 1',
  'set boot default',
  'set power 0',
  'set power 1',
];

type Machine = WorldMachine;

let world: SmartNicWorld;
let dir: string;
let ovn: OvnCentral;
let env: Record<string, string>;
const image = Buffer.alloc(3 * 1024 * 1024);
let n = 0;

const ctl = (...args: string[]): Promise<string> => world.ctl(...args);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function machine(): Promise<Machine> {
  const k = ++n;
  return world.machine({
    agentName: `img-dpu-${k}`,
    hostname: `img-node-${k}`,
    mac: `52:54:00:00:41:${k.toString(16).padStart(2, '0')}`,
    chassis: `img-chassis-${k}`,
  });
}

/** The machine's logical ports: name and switch (network) name. */
async function lspsOf(m: Machine): Promise<{ name: string; network: string }[]> {
  const names = await ovn.nbFind('Logical_Switch_Port', 'name', `external_ids:mooring\\:machine-id=${m.machineId}`);
  return Promise.all(
    names.map(async (name) => {
      const uuid = await ovn.nbctl('get', 'Logical_Switch_Port', name, '_uuid');
      const [ids] = await ovn.nbFind('Logical_Switch', 'external_ids', `ports{>=}${uuid}`);
      return { name, network: /mooring:name="?([^"\s]+)/.exec(ids ?? '')?.[1] ?? '' };
    }),
  );
}

/** The boot file OVN's DHCP hands iPXE on the machine's port: its DHCP_Options row's bootfile_name (waits for it). */
async function bootFile(m: Machine, notBefore = ''): Promise<string> {
  for (let i = 0; i < 300; i++) {
    for (const { name } of await lspsOf(m)) {
      const row = (await ovn.nbctl('get', 'Logical_Switch_Port', name, 'dhcpv4_options')).replace(/[[\]]/g, '');
      if (!row) continue;
      const url = (await ovn.nbctl('get', 'DHCP_Options', row, 'options')).match(/bootfile_name="?\\?"?(http[^"\\,}]+)/)?.[1];
      if (url && url !== notBefore) return url;
    }
    await sleep(100);
  }
  throw new Error(`no boot file on the ports of ${m.hostname}`);
}

/** The simulated ramdisk booted from `scriptUrl`: its token and boot service URL from the iPXE script's kernel line. */
async function ramdisk(
  scriptUrl: string,
): Promise<{ url: string; token: string; mode: string; get: (p: string) => Promise<Response>; post: (body: object) => Promise<Response> }> {
  const script = await fetch(scriptUrl);
  expect(script.status).toBe(200);
  const text = await script.text();
  const arg = (k: string): string => new RegExp(`mooring\\.${k}=(\\S+)`).exec(text)![1]!;
  const url = arg('url');
  const token = arg('token');
  const headers = { authorization: `Bearer ${token}` };
  return {
    url,
    token,
    mode: arg('mode'),
    get: (p) => fetch(`${url}/ramdisk/v1/${p}`, { headers }),
    post: (body) =>
      fetch(`${url}/ramdisk/v1/callback`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

async function waitStatus(m: Machine, status: string, timeoutMs = 40_000): Promise<void> {
  await world.statuses.waitFor(m.hostname, status, timeoutMs, async () => (await moorctl(['machine', 'show', m.hostname], env)).stdout);
}

async function showMachine(m: Machine): Promise<{ status: string; statusReason: string }> {
  return JSON.parse(await ctl('--json', 'machine', 'show', m.hostname)) as { status: string; statusReason: string };
}

async function powerCalls(m: Machine): Promise<string[]> {
  return (await m.host.bmc.calls()).filter((c) => c.text.startsWith('set ')).map((c) => c.text);
}

beforeAll(async () => {
  world = await SmartNicWorld.start({
    name: 'image-deploy',
    portActiveTimeoutMs: 6000,
    ovn: { owner: OWNER },
    coordinatorEnv: {
      MOORING_PROVISIONING_CIDR: '10.78.0.0/24',
      // A fixed port: the boot service keeps its URL across a coordinator restart.
      MOORING_BOOT_LISTEN: `127.0.0.1:${await freePort()}`,
      MOORING_RAMDISK_TIMEOUT_MS: String(RAMDISK_TIMEOUT_MS),
      MOORING_FIRST_BOOT_TIMEOUT_MS: '30000',
    },
  });
  ({ dir, ovn, env } = world);
  image.write('a small raw disk image', 0);
  image[510] = 0x55;
  image[511] = 0xaa;
  await writeFile(path.join(dir, 'disk.raw'), image);
  await writeFile(path.join(dir, 'key.pub'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMooringTestKey test@e2e\n');
  await writeFile(path.join(dir, 'user-data'), `#cloud-config\npackages: []\npassword: ${USER_DATA_SECRET}\n`);
  await ctl('image', 'add', 'tiny', '--disk', path.join(dir, 'disk.raw'));
  await ctl('network', 'create', 'blue', '--cidr', '10.0.7.0/24');
}, 90_000);

afterAll(async () => {
  await world?.stop();
});

/** The simulated first boot: once the machine is powered on from disk, posts cloud-init's phone-home; its HTTP status. */
async function phoneHomeOnFirstBoot(m: Machine, url: string): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const calls = await powerCalls(m);
    if (calls.includes('set boot default') && calls.at(-1) === 'set power 1')
      return (await fetch(url, { method: 'POST', body: `instance_id=${m.machineId}&hostname=${m.hostname}` })).status;
    await sleep(100);
  }
  throw new Error(`${m.hostname} was never powered on from disk`);
}

/** A new machine allocated and its deploy started with the coordinator's crash failpoint armed at `crash`. */
async function deployArmed(crash: string): Promise<Machine> {
  const m = await machine();
  await ctl('machine', 'allocate', '--name', m.hostname);
  await world.arm(crash);
  const started = await moorctl(['machine', 'deploy', m.hostname, '--image', 'tiny', '--network', 'blue'], env);
  expect(started.code, started.stderr).toBe(0);
  return m;
}

function deploy(m: Machine): Promise<{ code: number; stdout: string; stderr: string }> {
  return moorctl(
    [
      'machine',
      'deploy',
      m.hostname,
      '--image',
      'tiny',
      '--network',
      'blue',
      '--user-data',
      path.join(dir, 'user-data'),
      '--ssh-key',
      path.join(dir, 'key.pub'),
      '--watch',
    ],
    env,
  );
}

describe('image deploy and erasing release', () => {
  let a: Machine;
  let b: Machine;

  it(
    'refuses an image deploy without a network, user-data that is not #cloud-config or a qcow2 image, before anything is stored',
    { timeout: 90_000 },
    async () => {
      [a, b] = await Promise.all([machine(), machine()]);
      await ctl('machine', 'allocate', '--name', a.hostname);
      const noNet = await moorctl(['machine', 'deploy', a.hostname, '--image', 'tiny'], env);
      expect(noNet.code).not.toBe(0);
      expect(noNet.stderr).toMatch(/needs --network/);
      await writeFile(path.join(dir, 'script'), '#!/bin/sh\necho hi\n');
      const script = await moorctl(
        ['machine', 'deploy', a.hostname, '--image', 'tiny', '--network', 'blue', '--user-data', path.join(dir, 'script')],
        env,
      );
      expect(script.stderr).toMatch(/#cloud-config/);
      // A qcow2 image is stored, but the ramdisk writes raw disks: refused at the deploy, not at its attach step.
      await writeFile(path.join(dir, 'disk.qcow2'), Buffer.concat([Buffer.from('514649fb00000003', 'hex'), Buffer.alloc(4096)]));
      await ctl('image', 'add', 'tiny-qcow2', '--disk', path.join(dir, 'disk.qcow2'), '--format', 'qcow2');
      const qcow2 = await moorctl(['machine', 'deploy', a.hostname, '--image', 'tiny-qcow2', '--network', 'blue'], env);
      expect(qcow2.code).not.toBe(0);
      expect(qcow2.stderr).toMatch(/is qcow2; the ramdisk writes raw disk images/);
      await ctl('image', 'delete', 'tiny-qcow2');
      expect((await showMachine(a)).status).toMatch(/ALLOCATED/);
    },
  );

  it(
    'deploys: ramdisk on provisioning, image written, port moved to the tenant network (one LSP), boot disk, phone-home, DEPLOYED',
    { timeout: 90_000 },
    async () => {
      const watch = deploy(a);
      const scriptUrl = await bootFile(a);
      const rd = await ramdisk(scriptUrl);
      expect(rd.mode).toBe('deploy');
      const [lsp] = await lspsOf(a);
      expect(lsp!.network).toBe('provisioning');
      const instructions = await (await rd.get('instructions')).text();
      const got = Buffer.from(await (await rd.get('image')).arrayBuffer());
      expect(createHash('sha256').update(got).digest('hex')).toBe(createHash('sha256').update(image).digest('hex'));
      expect(instructions).toContain(`image_size=${image.length}`);
      const userData = await (await rd.get('seed/user-data')).text();
      expect(userData).toMatch(/^#cloud-config\npackages: \[\]\n/);
      expect(userData).toContain(`password: ${USER_DATA_SECRET}\n`);
      // Served opened to the token's holder, sealed at rest: the sequence record and the token's grant
      // (both live now) keep it, and not a byte of it is in the database file; nor of the first
      // boot's token, which the sequence record keeps (sealed) until its step mints it.
      const phoneHome = /url: (\S+)/.exec(userData)![1]!;
      const database = await readFile(path.join(dir, 'coord', 'coordinator.mdb'));
      expect(database.includes(Buffer.from(USER_DATA_SECRET))).toBe(false);
      expect(database.includes(Buffer.from(phoneHome.split('/').at(-1)!))).toBe(false);
      expect(await (await rd.get('seed/meta-data')).text()).toContain('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMooringTestKey');
      // A phone-home before the first boot's step opens nothing.
      expect((await fetch(phoneHome, { method: 'POST', body: 'instance_id=x' })).status).toBe(404);
      expect((await rd.post({ event: 'progress', step: 'download', message: '50%' })).status).toBe(200);
      expect((await rd.post({ event: 'success', bytes: image.length })).status).toBe(200);
      // The token is spent with its step: script, image and callbacks refused.
      expect((await fetch(scriptUrl)).status).toBe(404);
      expect((await rd.get('image')).status).toBe(401);
      // The first boot phones home once the machine boots its disk (the simulation waits for the power-on from disk).
      expect(await phoneHomeOnFirstBoot(a, phoneHome)).toBe(200);
      const r = await watch;
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect((await showMachine(a)).status).toMatch(/DEPLOYED/);
      // The same LSP, now on blue, and the smartNIC port still bound to it (no second BIOS-halt).
      expect(await lspsOf(a)).toEqual([{ name: lsp!.name, network: 'blue' }]);
      expect((await a.host.ovs.vsctl('get', 'Interface', 'pf0vf0', 'external_ids:iface-id')).replace(/"/g, '')).toBe(lsp!.name);
      expect(await powerCalls(a)).toEqual(ONE_DEPLOY_POWER_CALLS);
      const { events } = JSON.parse(await ctl('--json', 'events', 'list', '--machine', a.hostname)) as { events: { kind: string }[] };
      const kinds = events.map((e) => e.kind).filter((k) => k.startsWith('boot.') || k === 'network.moved');
      expect(kinds).toEqual(['boot.started', 'boot.progress', 'boot.succeeded', 'network.moved', 'boot.started', 'boot.succeeded']);
      // Spent too: the phone-home token after its step.
      expect((await fetch(phoneHome, { method: 'POST', body: 'instance_id=x' })).status).toBe(404);
    },
  );

  it(
    'a ramdisk failure: FAILED_DEPLOYMENT with the reason, power off again, the port only on provisioning',
    { timeout: 90_000 },
    async () => {
      await ctl('machine', 'allocate', '--name', b.hostname);
      const watch = deploy(b);
      const rd = await ramdisk(await bootFile(b));
      expect((await rd.post({ event: 'failure', step: 'verify', command: 'sha256sum', output: 'checksum mismatch' })).status).toBe(200);
      const r = await watch;
      expect(r.code).not.toBe(0);
      const shown = await showMachine(b);
      expect(shown.status).toMatch(/FAILED_DEPLOYMENT/);
      expect(shown.statusReason).toMatch(/verify: sha256sum: checksum mismatch/);
      expect((await powerCalls(b)).at(-1)).toBe('set power 0');
      const lsps = await lspsOf(b);
      expect(lsps.map((l) => l.network)).toEqual(['provisioning']);
      const row = (await ovn.nbctl('get', 'Logical_Switch_Port', lsps[0]!.name, 'dhcpv4_options')).replace(/[[\]]/g, '');
      if (row) expect(await ovn.nbctl('get', 'DHCP_Options', row, 'options')).not.toMatch(/bootfile_name=/);
    },
  );

  it('an erase that fails on release: BROKEN with the reason', { timeout: 90_000 }, async () => {
    await ctl('machine', 'release', b.hostname);
    const rd = await ramdisk(await bootFile(b));
    expect(rd.mode).toBe('erase');
    await rd.post({ event: 'failure', step: 'erase', command: 'blkdiscard /dev/vda', output: 'I/O error' });
    await waitStatus(b, 'BROKEN');
    expect((await showMachine(b)).statusReason).toMatch(/erase: blkdiscard \/dev\/vda: I\/O error/);
  });

  it('release erases the disks through the ramdisk before READY; the port leaves every network', { timeout: 90_000 }, async () => {
    await ctl('machine', 'release', a.hostname);
    const rd = await ramdisk(await bootFile(a));
    expect(rd.mode).toBe('erase');
    expect(await (await fetch(await bootFile(a))).text()).toContain('mooring.erase=quick');
    expect((await showMachine(a)).status).toMatch(/RELEASING/);
    await rd.post({ event: 'success' });
    await waitStatus(a, 'READY');
    expect(await lspsOf(a)).toEqual([]);
  });

  it('a ramdisk that never calls back: the bounded wait fails the deploy with the reason', { timeout: 90_000 }, async () => {
    await ctl('machine', 'allocate', '--name', a.hostname);
    const r = await deploy(a);
    expect(r.code).not.toBe(0);
    const shown = await showMachine(a);
    expect(shown.status).toMatch(/FAILED_DEPLOYMENT/);
    expect(shown.statusReason).toMatch(new RegExp(`no outcome from the ramdisk within ${RAMDISK_TIMEOUT_MS} ms`));
    expect((await lspsOf(a)).map((l) => l.network)).toEqual(['provisioning']);
  });

  it(
    'a coordinator killed with SIGKILL while it waits for the image write: a new one resumes and finishes, one image write',
    { timeout: 120_000 },
    async () => {
      const c = await deployArmed('before:wait-image');
      await world.coord.exited;
      await world.arm('');
      // The ramdisk boots while no coordinator runs; its token, stored before the kill, opens its step after the restart.
      const scriptUrl = await bootFile(c);
      await world.startCoordinator();
      const rd = await ramdisk(scriptUrl);
      expect(Buffer.from(await (await rd.get('image')).arrayBuffer()).equals(image)).toBe(true);
      const phoneHome = /url: (\S+)/.exec(await (await rd.get('seed/user-data')).text())![1]!;
      expect((await rd.post({ event: 'success' })).status).toBe(200);
      expect(await phoneHomeOnFirstBoot(c, phoneHome)).toBe(200);
      await waitStatus(c, 'DEPLOYED');
      // One image write: one write-image token and one deploy boot, the power calls of one deploy.
      const { events } = JSON.parse(await ctl('--json', 'events', 'list', '--machine', c.hostname)) as { events: { kind: string }[] };
      expect(events.filter((e) => e.kind === 'boot.started')).toHaveLength(2); // write-image, first-boot
      expect(await powerCalls(c)).toEqual(ONE_DEPLOY_POWER_CALLS);
    },
  );

  it(
    'a coordinator killed with SIGKILL during the first boot: the phone-home after the restart ends it, no second boot',
    { timeout: 120_000 },
    async () => {
      const d = await deployArmed('before:wait-first-boot');
      const rd = await ramdisk(await bootFile(d));
      const phoneHome = /url: (\S+)/.exec(await (await rd.get('seed/user-data')).text())![1]!;
      expect((await rd.post({ event: 'success' })).status).toBe(200);
      // Killed once the machine was powered on from disk, before it waits for the phone-home.
      await world.coord.exited;
      await world.arm('');
      // The first boot phones home while no coordinator runs (cloud-init tries again)...
      await expect(fetch(phoneHome, { method: 'POST', body: `instance_id=${d.machineId}` })).rejects.toThrow();
      await world.startCoordinator();
      // ...and gets through to the resumed step.
      expect(await phoneHomeOnFirstBoot(d, phoneHome)).toBe(200);
      await waitStatus(d, 'DEPLOYED');
      expect(await powerCalls(d)).toEqual(ONE_DEPLOY_POWER_CALLS);
      const { events } = JSON.parse(await ctl('--json', 'events', 'list', '--machine', d.hostname)) as { events: { kind: string }[] };
      expect(events.filter((e) => e.kind === 'boot.started')).toHaveLength(2); // write-image, first-boot
    },
  );
});
