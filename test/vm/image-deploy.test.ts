// The whole image deploy with a real machine: `moorctl machine deploy` on a QEMU VM (ipmi_sim BMC,
// TCG unless MOORING_QEMU_ACCEL=kvm) whose NIC is a tap on a netdev smartNIC bound by its real
// mooring-agent (test/harness/vm-deploy-world.ts). The coordinator's sequence BIOS-halts it, puts
// its port on the provisioning network, where ovn-controller's DHCP hands iPXE the machine's script
// URL; iPXE fetches the real deploy ramdisk from the real boot service; the ramdisk writes the
// image and the NoCloud seed and reports; the port moves to the tenant network; the VM boots its
// disk (the test image: busybox standing in for cloud-init, test/ramdisk/first-boot-init), takes
// the tenant address by DHCP, runs the user-data's runcmd and phones home: DEPLOYED. What the
// runcmd printed on the serial console is the view from inside: the image's checksum on the disk,
// the address, and who answers ping (another host on the same network does; one on another
// tenant's network with an address in the same subnet does not; the provisioning network's
// address, even looked for on-link, does not). Release then boots the ramdisk in erase mode
// (quick: first and last MiB, then discard) and the machine is READY only after it: the disk file
// reads back as zeros where the image and the tenant's marker were.
// This file also covers what test/coordinator/boot-service-qemu.test.ts proved (the real ramdisk
// against the boot service: progress events, the seed, the spent token), with a real netboot.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortCapture } from '../harness/ovs-netdev-capture.js';
import type { HostLink } from '../harness/ovs-netdev-smartnic.js';
import { waitFor } from '../harness/ovs.js';
import { unusedPrefix } from '../harness/qemu-boot-network.js';
import { VmDeployWorld } from '../harness/vm-deploy-world.js';
import { buildRamdisk, buildTestImage, mbrEntries, readRange } from '../ramdisk/ramdisk-build.js';

const MIB = 1 << 20;
const HOSTNAME = 'tenant-web1';
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIVmDeployTestKeyOnly0123456789abcdefABCDEF tenant@vm-deploy';
/** Where the tenant's marker goes: past the image and the seed, before the last MiB. */
const MARKER_AT = 60 * MIB;
/** Each boot under TCG on two loaded cores takes a minute or more. */
const STEP_TIMEOUT_MS = 600_000;

let world: VmDeployWorld;
let image: Buffer;
let tenantPrefix: string;
/** Frames from the machine's MAC that OVS delivered to blue's uplink, red's probe and the provisioning uplink. */
const captures: Record<'blue' | 'red' | 'provisioning', PortCapture | undefined> = {
  blue: undefined,
  red: undefined,
  provisioning: undefined,
};

beforeAll(async () => {
  const [ramdisk, imagePath] = await Promise.all([buildRamdisk(), buildTestImage()]);
  image = await readFile(imagePath);
  world = await VmDeployWorld.start({ ramdiskDir: ramdisk.dir, hostname: HOSTNAME, stepTimeoutMs: STEP_TIMEOUT_MS });
  tenantPrefix = await unusedPrefix();
  const blueUplink = await world.tenantNetwork('blue', tenantPrefix);
  await world.probe('blue', `${tenantPrefix}.250`);
  // Another tenant's network with the same subnet: only OVN keeps it apart from blue.
  await world.ctl('user', 'create', 'other-tenant', '--role', 'member');
  await world.ctl('network', 'create', 'red', '--cidr', `${tenantPrefix}.0/24`, '--owner', 'user:other-tenant');
  const redProbe = await world.probe('red', `${tenantPrefix}.251`);
  await world.ctl('image', 'add', 'test-image', '--disk', imagePath);
  const fromMachine = `ether src ${world.machine.options.mac}`;
  // The bridge-side end of each host link (its veth peer in the smartNIC's namespace).
  const capture = (link: HostLink): Promise<PortCapture> => PortCapture.start(world.smartNic, `${link.name}p`, fromMachine);
  [captures.blue, captures.red, captures.provisioning] = await Promise.all([
    capture(blueUplink),
    capture(redProbe),
    capture(world.bootUplink),
  ]);
}, 900_000);

afterAll(async () => {
  for (const c of Object.values(captures)) await c?.stop();
  await world?.stop();
});

/** The machine's events of these kinds, oldest first. */
interface ShownEvent {
  kind: string;
  toStatus?: string;
  details: Record<string, string>;
}

async function events(...kinds: string[]): Promise<ShownEvent[]> {
  const { events: all } = JSON.parse(await world.ctl('--json', 'events', 'list', '--machine', HOSTNAME)) as { events: ShownEvent[] };
  return all.filter((e) => kinds.length === 0 || kinds.includes(e.kind));
}

/** The boot file OVN's DHCP hands iPXE on the machine's bound port (its DHCP_Options bootfile_name), once there is one. */
async function bootFileUrl(): Promise<string> {
  let url: string | undefined;
  await waitFor(
    async () => {
      const lsp = await world.boundIfaceId().catch(() => '');
      const row = lsp
        ? (await world.central.nbctl('get', 'Logical_Switch_Port', lsp, 'dhcpv4_options').catch(() => '')).replace(/[[\]]/g, '')
        : '';
      url = row
        ? /bootfile_name="?\\?"?(http[^"\\,}]+)/.exec(await world.central.nbctl('get', 'DHCP_Options', row, 'options'))?.[1]
        : undefined;
      return url !== undefined;
    },
    // The BIOS-halt before it: a power-on, the agent's new session, the port bound.
    120_000,
    "a boot file on the machine's port",
  );
  return url!;
}

describe('an image deployed to a QEMU machine through the whole flow', () => {
  const marker = `MOORING-TENANT-DATA-${randomBytes(8).toString('hex')}`;

  it(
    'netboots the ramdisk on provisioning, writes the image, moves to the tenant network, boots the disk: checked from inside',
    { timeout: 1_500_000 },
    async ({ onTestFailed }) => {
      onTestFailed(() => printState(6000));
      const p = world.provisioningPrefix;
      const t = tenantPrefix;
      const userData = [
        '#cloud-config',
        'runcmd:',
        // The image's bytes on the disk, its MBR's second entry as the image had it (zeros): the
        // ramdisk puts the seed's partition there.
        `  - (head -c 462 /dev/vda; head -c 16 /dev/zero; tail -c +479 /dev/vda | head -c ${image.length - 478}) | sha256sum`,
        '  - ip -4 -o addr show dev eth0',
        `  - ${ping(`${t}.250`, 'same network')}`,
        `  - ${ping(`${t}.251`, 'other tenant')}`,
        // On-link, so the ARP goes out on the tenant wire; then the route goes again (the phone-home is routed).
        `  - ip route add ${p}.0/24 dev eth0; ${ping(`${p}.1`, 'provisioning')}; ip route del ${p}.0/24 dev eth0`,
        `  - printf ${marker} | dd of=/dev/vda bs=512 seek=${MARKER_AT / 512} conv=notrunc,fsync 2>/dev/null && echo marker written`,
        '',
      ].join('\n');
      await world.ctl('machine', 'allocate', '--name', HOSTNAME);
      await world.ctl(
        'machine',
        'deploy',
        HOSTNAME,
        '--image',
        'test-image',
        '--network',
        'blue',
        '--ssh-key',
        await world.file('key.pub', `${SSH_KEY}\n`),
        '--user-data',
        await world.file('user-data', userData),
      );
      const scriptUrl = await bootFileUrl();
      expect(scriptUrl.startsWith(`http://${p}.1:`)).toBe(true);
      await world.statuses.waitFor(HOSTNAME, 'DEPLOYED', 2 * STEP_TIMEOUT_MS + 60_000, async () => world.ctl('machine', 'show', HOSTNAME));

      // BIOS-halt, the network boot into the ramdisk, the boot from disk: no second BIOS-halt.
      expect(world.machine.starts).toEqual(['firmware', 'network', 'disk']);
      expect(world.machine.errors).toEqual([]);
      // DEPLOYED comes with the phone-home's POST; the system logs it (and ends its first boot) after
      // the answer, so the console is read once it has.
      const consoleText = await world.machine.waitForSerial(/mooring-test-image: first boot done/, 60_000);
      // The ramdisk's part, then the deployed system's.
      expect(consoleText).toMatch(/mooring-ramdisk: .*seed/);
      const deployed = consoleText.slice(consoleText.lastIndexOf('mooring-test-image: NoCloud seed'));
      expect(deployed).toContain(`mooring-test-image: hostname=${HOSTNAME}`);
      expect(deployed).toContain(`mooring-test-image: ssh key: ${SSH_KEY}`);
      expect(image.subarray(462, 478).equals(Buffer.alloc(16))).toBe(true);
      expect(deployed).toContain(`mooring-test-image: | ${createHash('sha256').update(image).digest('hex')}  -`);
      expect((await mbrEntries(world.machine.diskPath)).find((e) => e.slot === 2)).toMatchObject({ type: 0x0c });
      const [moved] = await events('network.moved');
      expect(moved?.details).toMatchObject({ network: 'blue', from: 'provisioning' });
      expect(deployed).toMatch(new RegExp(`inet ${moved!.details['ip']!.replace(/\./g, '\\.')}/24`));
      expect(deployed).toContain('| ping same network answered');
      expect(deployed).toContain('| ping other tenant unanswered');
      expect(deployed).toContain('| ping provisioning unanswered');
      // On the wire: the machine's ARP requests for the other tenant's and the provisioning address
      // went out on blue (flooded to its uplink), and nothing it sent with its tenant address ever
      // reached red or the provisioning switch.
      const ip = moved!.details['ip']!;
      await captures.blue!.waitFor(new RegExp(`Request who-has ${escape(`${t}.251`)} tell ${escape(ip)}`), 10_000);
      await captures.blue!.waitFor(new RegExp(`Request who-has ${escape(`${p}.1`)} tell ${escape(ip)}`), 10_000);
      expect(captures.red!.lines).toEqual([]);
      expect(captures.provisioning!.lines.filter((l) => l.includes(ip))).toEqual([]);
      // ...while on provisioning it was the ramdisk talking to the boot service.
      expect(captures.provisioning!.lines.some((l) => l.includes(`> ${p}.1.`))).toBe(true);
      expect(deployed).toMatch(/phoned home to http:\/\//);
      expect(deployed).toContain('| marker written');

      // The port kept its LSP (the iface-id the agent bound), now on blue; the ramdisk's steps were reported.
      expect(await world.boundIfaceId()).toBe(moved!.details['lsp']);
      const steps = (await events('boot.progress')).map((e) => e.details['ramdiskStep']);
      expect(steps).toEqual(expect.arrayContaining(['network', 'disk', 'download', 'verify', 'seed']));
      // The script's token was spent with its step.
      expect((await fetch(scriptUrl)).status).toBe(404);
      expect((await readRange(world.machine.diskPath, MARKER_AT, marker.length)).toString()).toBe(marker);
    },
  );

  it(
    'release erases the disk through the ramdisk before READY: the image and the tenant data are gone',
    { timeout: 900_000 },
    async ({ onTestFailed }) => {
      onTestFailed(() => printState(4000));
      await world.ctl('machine', 'release', HOSTNAME);
      // Within the test's own timeout, so a stuck release fails with the machine's state.
      await world.statuses.waitFor(HOSTNAME, 'READY', STEP_TIMEOUT_MS + 60_000, async () => world.ctl('machine', 'show', HOSTNAME));
      // The BMC says off as soon as the power-off call reaches it; the harness stops QEMU on
      // following the chassis log, a moment later: wait until it has carried out every call.
      await world.machine.settle();
      expect(world.machine.starts.slice(3)).toEqual(['network']);
      expect(world.machine.running).toBe(false);
      const consoleText = await world.machine.serial();
      const erased = consoleText.slice(consoleText.lastIndexOf('mooring-ramdisk: starting'));
      expect(erased).toMatch(/mooring-ramdisk: erase: discarded \/dev\/vda/);
      // READY came after the erase ramdisk's success, in the one transition since.
      const all = await events();
      const erasedAt = all.findLastIndex((e) => e.kind === 'boot.succeeded' && e.details['mode'] === 'erase');
      expect(erasedAt).toBeGreaterThan(-1);
      const since = all.slice(erasedAt).filter((e) => e.kind === 'machine.transition');
      expect(since.map((e) => e.toStatus)).toEqual([expect.stringMatching(/READY/)]);
      const disk = await readFile(world.machine.diskPath);
      expect(disk.indexOf(marker)).toBe(-1);
      expect(disk.subarray(0, image.length).equals(Buffer.alloc(image.length))).toBe(true);
    },
  );
});

/** After a failure: the end of the machine's console and the coordinator's last log lines. */
async function printState(consoleChars: number): Promise<void> {
  console.error(`--- ${HOSTNAME} console:\n${(await world.machine.serial()).slice(-consoleChars)}`);
  console.error(`--- the coordinator's last log lines:\n${world.coord.logTail()}`);
}

/** A shell command printing "ping WHAT answered" or "ping WHAT unanswered" (no quotes: the test image's YAML reader strips them). */
function ping(address: string, what: string): string {
  return `ping -c 2 -w 5 ${address} >/dev/null && echo ping ${what} answered || echo ping ${what} unanswered`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
