// The lab's VM chapter: one machine as a real QEMU VM (KVM, or TCG where KVM is missing) whose BMC
// is ipmi_sim driving it and whose NIC is a tap on a smartNIC's OVS (userspace datapath) bound by a
// real mooring-agent, with ovn-controller answering DHCP (test/harness/vm-deploy-world.ts, the world
// test/vm/image-deploy.test.ts proves the flow on). The operator deploys the test image to it with
// moorctl through the whole flow (BIOS-halt, netboot into the deploy ramdisk on the provisioning
// network, image write, move to the tenant network, first boot, phone-home), checks the deployed
// system on its serial console (hostname and address), and releases it: the ramdisk erases the disk
// before READY. The world has its own coordinator and OVN beside the lab's, inside the lab's
// directory; `npm run lab -- --no-vm` leaves the chapter out.
import pino from 'pino';
import { qemuAccel } from '../harness/qemu-accel.js';
import { unusedPrefix } from '../harness/qemu-boot-network.js';
import type { VmDeployWorld } from '../harness/vm-deploy-world.js';
import { buildRamdisk, buildTestImage } from '../ramdisk/ramdisk-build.js';
import type { Lab } from './lab.js';
import type { LabStep } from './story.js';

export const VM_HOSTNAME = 'vm-web1';
const IMAGE = 'lab-image';
const NETWORK = 'lab-vm-net';
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIVmLabOperatorKeyOnly0123456789abcdefABCDEF operator@lab';
/** Each boot under TCG on two loaded cores takes a minute or more; nothing waits this long when things go right. */
const STEP_TIMEOUT_MS = 600_000;
/** The QEMU machine's own log: warnings and worse, on stderr, apart from the story. */
const QEMU_LOG = pino({ name: 'lab-vm', level: 'warn' }, pino.destination(2));

function world(lab: Lab): VmDeployWorld {
  if (!lab.vmWorld) throw new Error('the VM chapter has not started its machine');
  return lab.vmWorld;
}

/** moorctl against the VM world's coordinator (as its admin), printed as the other chapters print theirs. */
function moorctl(lab: Lab, args: readonly string[], show: 'all' | 'none' | ((line: string) => boolean) = 'all'): Promise<string> {
  return lab.shell.moorctl(args, { env: world(lab).env, show, timeoutMs: 120_000 });
}

/** The machine's status line of `moorctl machine show`. */
const statusLine = (line: string): boolean => line.startsWith('status ');

const bootVm: LabStep = {
  title: 'Boot a machine as a QEMU VM behind a netdev smartNIC (its own coordinator with a boot service)',
  async run(lab) {
    lab.progress.line('building the deploy ramdisk (Debian kernel, busybox) and the test image; cached after the first run ...');
    const [ramdisk, imagePath] = await Promise.all([buildRamdisk(), buildTestImage()]);
    lab.progress.line(`deploy ramdisk in ${ramdisk.dir}; test image ${imagePath}`);
    const w = await lab.startVmDeployWorld({
      ramdiskDir: ramdisk.dir,
      hostname: VM_HOSTNAME,
      stepTimeoutMs: STEP_TIMEOUT_MS,
      log: QEMU_LOG,
    });
    const { accel, why } = await qemuAccel(QEMU_LOG);
    lab.progress.line(
      `${VM_HOSTNAME}: QEMU VM (${accel}: ${why}), BMC ipmi_sim on ${w.machine.bmc.address}, NIC tap ${w.machine.tap} on a smartNIC ` +
        `OVS (netdev datapath) with its mooring-agent and ovn-controller`,
    );
    lab.progress.line(
      `coordinator on ${w.coord.address}; boot service on ${w.bootUrl} (the provisioning network ${w.provisioningPrefix}.0/24)`,
    );
    const prefix = await unusedPrefix();
    await w.tenantNetwork(NETWORK, prefix);
    lab.progress.line(`tenant network ${NETWORK} (${prefix}.0/24) with its gateway at ${prefix}.1`);
    await moorctl(lab, ['image', 'add', IMAGE, '--disk', imagePath]);
    await moorctl(lab, ['machine', 'show', VM_HOSTNAME], statusLine);
  },
};

const deployVm: LabStep = {
  title: `Deploy the test image to ${VM_HOSTNAME} through the whole flow`,
  async run(lab) {
    const w = world(lab);
    await moorctl(lab, ['machine', 'allocate', '--name', VM_HOSTNAME], statusLine);
    const userData = ['#cloud-config', 'runcmd:', '  - ip -4 -o addr show dev eth0', ''].join('\n');
    await moorctl(lab, [
      'machine',
      'deploy',
      VM_HOSTNAME,
      '--image',
      IMAGE,
      '--network',
      NETWORK,
      '--ssh-key',
      await w.file('operator.pub', `${SSH_KEY}\n`),
      '--user-data',
      await w.file('user-data', userData),
    ]);
    lab.progress.line(`waiting for ${VM_HOSTNAME}: BIOS-halt, netboot into the ramdisk, image write, first boot, phone-home ...`);
    await w.statuses.waitFor(VM_HOSTNAME, 'DEPLOYED', 3 * STEP_TIMEOUT_MS, () => moorctl(lab, ['machine', 'show', VM_HOSTNAME], 'none'));
    const kinds = new Set(['boot.progress', 'boot.succeeded', 'network.moved', 'machine.transition']);
    await moorctl(lab, ['events', 'list', '--machine', VM_HOSTNAME], (line) => [...kinds].some((k) => line.includes(k)));
    lab.progress.line(`${VM_HOSTNAME} DEPLOYED; the VM started from: ${w.machine.starts.join(', ')}`);
    if (w.machine.starts.join(',') !== 'firmware,network,disk')
      throw new Error(`the VM started from ${w.machine.starts.join(', ')}, not firmware, network, disk`);
  },
};

const checkConsole: LabStep = {
  title: `Check the deployed system on ${VM_HOSTNAME}'s serial console`,
  async run(lab) {
    const w = world(lab);
    const { events } = JSON.parse(await moorctl(lab, ['--json', 'events', 'list', '--machine', VM_HOSTNAME], 'none')) as {
      events: { kind: string; details: Record<string, string> }[];
    };
    const ip = events.find((e) => e.kind === 'network.moved')?.details['ip'];
    if (!ip) throw new Error(`no network.moved event with an address for ${VM_HOSTNAME}`);
    const text = await w.machine.serial();
    const deployed = text.slice(text.lastIndexOf('mooring-test-image: NoCloud seed'));
    if (deployed === text) throw new Error(`the deployed system's first boot is not on ${VM_HOSTNAME}'s serial console`);
    lab.progress.line(`${w.machine.serialPath}, the deployed system's lines:`);
    for (const line of deployed.split('\n').filter((l) => l.includes('mooring-test-image:')))
      lab.progress.line(`  ${redacted(line.trim())}`);
    if (!deployed.includes(`mooring-test-image: hostname=${VM_HOSTNAME}`))
      throw new Error(`the serial console does not show hostname=${VM_HOSTNAME}`);
    if (!deployed.includes(`inet ${ip}/`)) throw new Error(`the serial console does not show eth0 with ${ip}`);
    lab.progress.line(`serial-console verdict: hostname ${VM_HOSTNAME}, eth0 ${ip} on ${NETWORK} (the address the coordinator assigned)`);
  },
};

const releaseVm: LabStep = {
  title: `Release ${VM_HOSTNAME}: the ramdisk erases its disk before READY`,
  async run(lab) {
    const w = world(lab);
    await moorctl(lab, ['machine', 'release', VM_HOSTNAME], statusLine);
    await w.statuses.waitFor(VM_HOSTNAME, 'READY', 2 * STEP_TIMEOUT_MS, () => moorctl(lab, ['machine', 'show', VM_HOSTNAME], 'none'));
    const text = await w.machine.serial();
    const erased = [...text.slice(text.lastIndexOf('mooring-ramdisk: starting')).matchAll(/mooring-ramdisk: erase: [^\n]*/g)];
    if (erased.length === 0) throw new Error(`no erase on ${VM_HOSTNAME}'s serial console before READY`);
    for (const [line] of erased) lab.progress.line(`serial console: ${line.trim()}`);
    await moorctl(lab, ['machine', 'show', VM_HOSTNAME], statusLine);
    lab.progress.line(`released: ${VM_HOSTNAME} erased by the ramdisk, powered ${w.machine.running ? 'on' : 'off'}, READY again`);
  },
};

/** A console line with the one-time deploy token of a boot-service URL left out (spent, but a secret all the same). */
export function redacted(line: string): string {
  return line.replace(/(\/boot\/v1\/[\w-]+\/)[\w-]+/g, '$1<token>');
}

export const VM_CHAPTER: readonly LabStep[] = [bootVm, deployVm, checkConsole, releaseVm];
