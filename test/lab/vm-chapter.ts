// The lab's VM chapter: three machines as real QEMU VMs (KVM, or TCG where KVM is missing), each
// with ipmi_sim as its BMC driving it and its NIC a tap on a smartNIC of its own (OVS on the
// userspace datapath, a real mooring-agent, ovn-controller answering DHCP), the smartNICs joined by
// Geneve tunnels over an underlay (test/harness/vm-deploy-fleet.ts; the world
// test/vm/image-deploy.test.ts proves the flow on). Two tenants, carol and dave, each make a
// network as themselves; carol deploys the test image to vm-web1 and vm-web2 on hers, dave to
// vm-db1 on his, side by side through the whole flow (BIOS-halt, netboot into the deploy ramdisk on
// the provisioning network, image write, move to the tenant network, first boot, phone-home). The
// deployed systems are checked on their serial consoles (hostname and address), then ping one
// another from inside: the user-data leaves each a loop fetching a probe script from its network's
// gateway, which the lab serves once all three are DEPLOYED; the pings' verdicts come back on the
// serial consoles. vm-web1 and vm-web2 answer each other (across the tunnel: they sit behind
// different smartNICs); carol's and dave's machines do not, even with the other network's /24
// routed on-link on both sides (so a leak between the switches would answer). Last, vm-web1 is
// released: the ramdisk erases its disk before READY. The world has its own coordinator and OVN
// beside the lab's, inside the lab's directory; `npm run lab -- --no-vm` leaves the chapter out.
import pino from 'pino';
import { BootHttpRecorder } from '../harness/qemu-boot-http.js';
import { qemuAccel } from '../harness/qemu-accel.js';
import { unusedPrefix } from '../harness/qemu-boot-network.js';
import type { VmDeployFleet } from '../harness/vm-deploy-fleet.js';
import type { VmDeployWorld } from '../harness/vm-deploy-world.js';
import { buildRamdisk, buildTestImage } from '../ramdisk/ramdisk-build.js';
import type { Lab } from './lab.js';
import { memberToken } from './network-chapter.js';
import type { LabStep } from './story.js';

export const VM_HOSTNAME = 'vm-web1';
const WEB2 = 'vm-web2';
const DB = 'vm-db1';
const IMAGE = 'lab-image';
/** Two tenants of the VM world's coordinator, each with a network of their own and machines on it. */
const TENANTS: readonly { readonly user: string; readonly network: string; readonly machines: readonly string[] }[] = [
  { user: 'carol', network: 'lab-vm-net', machines: [VM_HOSTNAME, WEB2] },
  { user: 'dave', network: 'lab-vm-db', machines: [DB] },
];
const HOSTNAMES = TENANTS.flatMap((t) => t.machines);
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIVmLabOperatorKeyOnly0123456789abcdefABCDEF operator@lab';
/** Each boot under TCG on two loaded cores takes a minute or more; nothing waits this long when things go right. */
const STEP_TIMEOUT_MS = 600_000;
/** The QEMU machines' own log: warnings and worse, on stderr, apart from the story. */
const QEMU_LOG = pino({ name: 'lab-vm', level: 'warn' }, pino.destination(2));
/** The probe scripts' lines on the serial consoles. */
const PROBE = 'mooring-probe:';

/** What the chapter set up, for its later steps. */
interface Tenancy {
  readonly user: string;
  readonly tokenFile: string;
  readonly network: string;
  readonly prefix: string;
  /** Serves the probe scripts on the network's gateway (its first address, in the host's namespace). */
  readonly probes: BootHttpRecorder;
  readonly machines: readonly string[];
}
const tenancies: Tenancy[] = [];

function fleet(lab: Lab): VmDeployFleet {
  if (!lab.vmFleet) throw new Error('the VM chapter has not started its machines');
  return lab.vmFleet;
}

function world(lab: Lab): VmDeployWorld {
  return fleet(lab).world;
}

function tenancyOf(hostname: string): Tenancy {
  const t = tenancies.find((x) => x.machines.includes(hostname));
  if (!t) throw new Error(`${hostname} belongs to no tenant of the chapter`);
  return t;
}

/** moorctl against the VM world's coordinator (as its admin, or as `tokenFile`'s user), printed as the other chapters print theirs. */
function moorctl(
  lab: Lab,
  args: readonly string[],
  show: 'all' | 'none' | ((line: string) => boolean) = 'all',
  tokenFile?: string,
): Promise<string> {
  const as = tokenFile ? ['--token-file', tokenFile] : [];
  return lab.shell.moorctl([...as, ...args], { env: world(lab).env, show, timeoutMs: 120_000 });
}

/** The machine's status line of `moorctl machine show`. */
const statusLine = (line: string): boolean => line.startsWith('status ');

/** The address the coordinator gave `hostname` on its tenant network (its network.moved event). */
async function addressOf(lab: Lab, hostname: string): Promise<string> {
  const { events } = JSON.parse(await moorctl(lab, ['--json', 'events', 'list', '--machine', hostname], 'none')) as {
    events: { kind: string; details: Record<string, string> }[];
  };
  const ip = events.findLast((e) => e.kind === 'network.moved')?.details['ip'];
  if (!ip) throw new Error(`no network.moved event with an address for ${hostname}`);
  return ip;
}

const bootVms: LabStep = {
  title: 'Boot three machines as QEMU VMs, each behind a netdev smartNIC of its own, the smartNICs joined by Geneve',
  async run(lab) {
    lab.progress.line('building the deploy ramdisk (Debian kernel, busybox) and the test image; cached after the first run ...');
    const [ramdisk, imagePath] = await Promise.all([buildRamdisk(), buildTestImage()]);
    lab.progress.line(`deploy ramdisk in ${ramdisk.dir}; test image ${imagePath}`);
    const f = await lab.startVmDeployFleet({
      ramdiskDir: ramdisk.dir,
      hostnames: HOSTNAMES,
      stepTimeoutMs: STEP_TIMEOUT_MS,
      log: QEMU_LOG,
    });
    const w = f.world;
    const { accel, why } = await qemuAccel(QEMU_LOG);
    for (const m of f.machines)
      lab.progress.line(
        `${m.hostname}: QEMU VM (${accel}), BMC ipmi_sim on ${m.machine.bmc.address}, NIC tap ${m.machine.tap} on smartNIC ` +
          `${m.smartNic.netns} (OVS netdev datapath) with its mooring-agent and ovn-controller`,
      );
    lab.progress.line(`QEMU accelerator: ${why}`);
    lab.progress.line(`the smartNICs' Geneve addresses on the underlay ${f.underlay.prefix}.0/24 (a Linux bridge in ${f.underlay.netns}):`);
    const encaps = await w.central.sbctl('--format=table', '--columns=chassis_name,type,ip', 'list', 'Encap');
    for (const line of encaps.split('\n')) lab.progress.line(`  ${line}`);
    lab.progress.line(
      `coordinator on ${w.coord.address}; boot service on ${w.bootUrl} (the provisioning network ${w.provisioningPrefix}.0/24)`,
    );
    await moorctl(lab, ['image', 'add', IMAGE, '--disk', imagePath]);
    for (const t of TENANTS) {
      const tokenFile = await memberToken(lab, t.user, w.env);
      const prefix = await unusedPrefix();
      const gateway = await w.tenantNetwork(t.network, prefix, '--token-file', tokenFile);
      const probes = await lab.adopt(
        () => BootHttpRecorder.start(gateway.address),
        (r) => r.stop(),
      );
      tenancies.push({ ...t, tokenFile, prefix, probes });
      lab.progress.line(
        `${t.user}'s network ${t.network} (${prefix}.0/24), its gateway at ${gateway.address} (probe scripts on ${probes.origin})`,
      );
    }
    for (const h of HOSTNAMES) await moorctl(lab, ['machine', 'show', h], statusLine);
  },
};

/**
 * The user-data: eth0's address on the console, and a loop in the background (so the first boot
 * goes on to its phone-home) fetching the machine's probe script from its gateway until the lab
 * serves it, then running it with its output on the serial console. No quotes: the test image's
 * YAML reader strips them.
 */
function userData(t: Tenancy, hostname: string): string {
  const fetch = `wget -q -O /tmp/probe ${t.probes.origin}/probe/${hostname}`;
  return [
    '#cloud-config',
    'runcmd:',
    '  - ip -4 -o addr show dev eth0',
    `  - (until ${fetch}; do sleep 2; done; sh /tmp/probe) >/dev/console 2>&1 &`,
    '',
  ].join('\n');
}

const deployVms: LabStep = {
  title: `Deploy the test image to ${VM_HOSTNAME} and ${WEB2} (carol's network) and ${DB} (dave's) side by side`,
  async run(lab) {
    const w = world(lab);
    const keyFile = await w.file('operator.pub', `${SSH_KEY}\n`);
    await Promise.all(
      HOSTNAMES.map(async (h) => {
        const t = tenancyOf(h);
        await moorctl(lab, ['machine', 'allocate', '--name', h], statusLine, t.tokenFile);
        const ud = await w.file(`user-data-${h}`, userData(t, h));
        await moorctl(
          lab,
          ['machine', 'deploy', h, '--image', IMAGE, '--network', t.network, '--ssh-key', keyFile, '--user-data', ud],
          'all',
          t.tokenFile,
        );
      }),
    );
    lab.progress.line(`waiting for ${HOSTNAMES.join(', ')}: BIOS-halt, netboot into the ramdisk, image write, first boot, phone-home ...`);
    await Promise.all(
      HOSTNAMES.map((h) => w.statuses.waitFor(h, 'DEPLOYED', 3 * STEP_TIMEOUT_MS, () => moorctl(lab, ['machine', 'show', h], 'none'))),
    );
    const kinds = new Set(['boot.progress', 'boot.succeeded', 'network.moved', 'machine.transition']);
    await moorctl(lab, ['events', 'list', '--machine', VM_HOSTNAME], (line) => [...kinds].some((k) => line.includes(k)));
    for (const m of fleet(lab).machines) {
      const starts = m.machine.starts.join(', ');
      lab.progress.line(`${m.hostname} DEPLOYED; the VM started from: ${starts}`);
      if (starts !== 'firmware, network, disk') throw new Error(`${m.hostname} started from ${starts}, not firmware, network, disk`);
    }
  },
};

const checkConsoles: LabStep = {
  title: 'Check the deployed systems on their serial consoles',
  async run(lab) {
    for (const m of fleet(lab).machines) {
      const ip = await addressOf(lab, m.hostname);
      const text = await m.machine.serial();
      const deployed = text.slice(text.lastIndexOf('mooring-test-image: NoCloud seed'));
      if (deployed === text) throw new Error(`the deployed system's first boot is not on ${m.hostname}'s serial console`);
      lab.progress.line(`${m.machine.serialPath}, the deployed system's lines:`);
      for (const line of deployed.split('\n').filter((l) => l.includes('mooring-test-image:')))
        lab.progress.line(`  ${redacted(line.trim())}`);
      if (!deployed.includes(`mooring-test-image: hostname=${m.hostname}`))
        throw new Error(`${m.hostname}'s serial console does not show hostname=${m.hostname}`);
      if (!deployed.includes(`inet ${ip}/`)) throw new Error(`${m.hostname}'s serial console does not show eth0 with ${ip}`);
      const t = tenancyOf(m.hostname);
      lab.progress.line(
        `serial-console verdict: hostname ${m.hostname}, eth0 ${ip} on ${t.network} (the address the coordinator assigned)`,
      );
    }
  },
};

/** One ping of a probe script, and the verdict the chapter expects of it. */
interface Ping {
  readonly from: string;
  readonly to: string;
  readonly answered: boolean;
}

const PINGS: readonly Ping[] = [
  { from: VM_HOSTNAME, to: WEB2, answered: true },
  { from: WEB2, to: VM_HOSTNAME, answered: true },
  { from: VM_HOSTNAME, to: DB, answered: false },
  { from: DB, to: VM_HOSTNAME, answered: false },
  { from: DB, to: WEB2, answered: false },
];

/**
 * `hostname`'s probe script: each of its pings, with the other tenant's /24 routed on-link for the
 * pings across tenants (the ARP goes out on the machine's own switch: only OVN keeps it apart).
 */
function probeScript(hostname: string, address: ReadonlyMap<string, string>): string {
  const own = tenancyOf(hostname);
  const lines: string[] = [];
  for (const p of PINGS.filter((x) => x.from === hostname)) {
    const to = address.get(p.to)!;
    const other = tenancyOf(p.to);
    const verdict = `${PROBE} ${hostname} to ${p.to} ${to}`;
    const ping = `ping -c 3 -w ${p.answered ? 15 : 5} ${to} >/dev/null && echo ${verdict} answered || echo ${verdict} unanswered`;
    if (other === own) lines.push(ping);
    else lines.push(`ip route add ${other.prefix}.0/24 dev eth0`, ping, `ip route del ${other.prefix}.0/24 dev eth0`);
  }
  lines.push(`echo ${PROBE} ${hostname} done`, '');
  return lines.join('\n');
}

const pingVms: LabStep = {
  title: `Ping from inside: ${VM_HOSTNAME} and ${WEB2} reach each other, carol's and dave's machines do not`,
  async run(lab) {
    const f = fleet(lab);
    const address = new Map(await Promise.all(HOSTNAMES.map(async (h) => [h, await addressOf(lab, h)] as const)));
    for (const h of HOSTNAMES) {
      const t = tenancyOf(h);
      t.probes.serve(`/probe/${h}`, probeScript(h, address));
      lab.progress.line(
        `${h} fetches its probe script from ${t.probes.origin}/probe/${h} (its pings: ${PINGS.filter((p) => p.from === h)
          .map((p) => p.to)
          .join(', ')})`,
      );
    }
    const consoles = await Promise.all(
      f.machines.map((m) => m.machine.waitForSerial(new RegExp(`${PROBE} ${m.hostname} done`), STEP_TIMEOUT_MS)),
    );
    const lines = consoles.flatMap((text) => text.split('\n').filter((l) => l.startsWith(PROBE)));
    for (const line of lines) lab.progress.line(`serial console: ${line.trim()}`);
    for (const p of PINGS) {
      const verdict = `${PROBE} ${p.from} to ${p.to} ${address.get(p.to)!} ${p.answered ? 'answered' : 'unanswered'}`;
      if (!lines.some((l) => l.trim() === verdict))
        throw new Error(
          `expected "${verdict}" on ${p.from}'s serial console; it shows: ${lines.filter((l) => l.includes(` ${p.from} to `)).join(' / ')}`,
        );
    }
    lab.progress.line(
      `verdict: same network answered (${VM_HOSTNAME} and ${WEB2} are behind different smartNICs: across the Geneve tunnel), ` +
        'across tenants unanswered; ovn-sbctl show (each chassis, its Geneve address, the ports bound on it):',
    );
    const chassis = await f.world.central.sbctl('show');
    for (const line of chassis.split('\n')) lab.progress.line(`  ${line}`);
  },
};

const releaseVm: LabStep = {
  title: `Release ${VM_HOSTNAME}: the ramdisk erases its disk before READY`,
  async run(lab) {
    const w = world(lab);
    const m = fleet(lab).machine(VM_HOSTNAME).machine;
    const carol = tenancyOf(VM_HOSTNAME).tokenFile;
    await moorctl(lab, ['machine', 'release', VM_HOSTNAME], statusLine, carol);
    await w.statuses.waitFor(VM_HOSTNAME, 'READY', 2 * STEP_TIMEOUT_MS, () => moorctl(lab, ['machine', 'show', VM_HOSTNAME], 'none'));
    const text = await m.serial();
    const erased = [...text.slice(text.lastIndexOf('mooring-ramdisk: starting')).matchAll(/mooring-ramdisk: erase: [^\n]*/g)];
    if (erased.length === 0) throw new Error(`no erase on ${VM_HOSTNAME}'s serial console before READY`);
    for (const [line] of erased) lab.progress.line(`serial console: ${line.trim()}`);
    await moorctl(lab, ['machine', 'show', VM_HOSTNAME], statusLine);
    lab.progress.line(`released: ${VM_HOSTNAME} erased by the ramdisk, powered ${m.running ? 'on' : 'off'}, READY again`);
  },
};

/** A console line with the one-time deploy token of a boot-service URL left out (spent, but a secret all the same). */
export function redacted(line: string): string {
  return line.replace(/(\/boot\/v1\/[\w-]+\/)[\w-]+/g, '$1<token>');
}

export const VM_CHAPTER: readonly LabStep[] = [bootVms, deployVms, checkConsoles, pingVms, releaseVm];
