// npm run bench:deploy -- [--machines N] [--json]
//
// N images deployed for real in parallel, from power-off to DEPLOYED: the world of
// test/vm/image-deploy.test.ts (test/harness/vm-deploy-world.ts: a QEMU machine, TCG unless
// MOORING_QEMU_ACCEL=kvm, on a netdev smartNIC with its mooring-agent and ovn-controller; a
// coordinator process with its provisioning network and boot service), with each further machine
// behind a netdev smartNIC of its own, the smartNICs joined by Geneve over an underlay
// (test/harness/vm-deploy-fleet.ts), `moorctl machine deploy --image --network` for all N at once,
// each timed from the
// coordinator's event log and split (deploy-phases.ts) into firmware/iPXE, image transfer (with the
// write), verify (read back and hashed), the rest of the ramdisk, first boot and Mooring's own
// overhead (the gaps between the sequence's steps). The image transfer rate is set against the same boot service's loopback
// HTTP throughput measured by curl in the same run (the ramdisk's initrd, fetched three times,
// the best kept), with the targets: overhead under 1 s per deploy, transfer at >= 80% of
// curl's. Beside curl, the same run measures the other limits on the machine's path
// (transfer-limits.ts): switchMBps, through the provisioning switch from a namespace, and
// guestSinkMBps, the machine's own download to /dev/null (its first boot's runcmd, under TCG here).
//
// deployP50S and deployMaxS are over the N deploys' wall times, overheadP99Ms over their overheads,
// transferMBps the slowest machine's rate; the split keys are medians. Every VM takes 320 MiB and
// TCG's CPU: wall times grow with N on a small machine.
//
// Progress goes to stderr; stdout gets the figures, or with --json one JSON object with the keys
// machines, deployP50S, deployMaxS, overheadP99Ms, transferMBps, curlMBps (and the split and the
// other limits).
import { stat } from 'node:fs/promises';
import { pino } from 'pino';
import { unusedPrefix } from '../../test/harness/qemu-boot-network.js';
import { VmDeployFleet } from '../../test/harness/vm-deploy-fleet.js';
import type { VmDeployWorld } from '../../test/harness/vm-deploy-world.js';
import { buildRamdisk, buildTestImage } from '../../test/ramdisk/ramdisk-build.js';
import { benchOptions, runBench, wholeNumber, type BenchRun } from '../shared/cli.js';
import { percentile, type BenchEvent } from '../sequence/timeline.js';
import { deployPhases, type DeployPhases } from './deploy-phases.js';
import { curlBytesPerSecond, guestSinkBytesPerSecond, guestSinkRuncmd, limitUrl, switchBytesPerSecond } from './transfer-limits.js';

const MAX_MACHINES = 8;
const STEP_TIMEOUT_MS = 600_000;
const MB = 1_000_000;
const TARGETS = { overheadMs: 1000, transferShareOfCurl: 0.8 } as const;

const BENCH = { name: 'deploy', usage: `[--machines N (1-${MAX_MACHINES}, default 1)] [--json]` };

function options(): { machines: number; json: boolean } {
  return benchOptions(
    BENCH,
    {
      machines: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
    (values) => ({ machines: wholeNumber(values.machines, '--machines', 1, MAX_MACHINES), json: values.json }),
  );
}

const progress = (text: string): boolean => process.stderr.write(`bench:deploy: ${text}\n`);

/** The machine's events as the bench keeps them. */
async function machineEvents(world: VmDeployWorld, hostname: string): Promise<BenchEvent[]> {
  const { events } = JSON.parse(await world.ctl('--json', 'events', 'list', '--machine', hostname)) as {
    events: { seq: string; time: string; kind: string; machineId: string; toStatus?: string; details?: Record<string, string> }[];
  };
  return events.map((e) => ({
    seq: Number(e.seq),
    timeMs: Date.parse(e.time),
    kind: e.kind,
    machineId: e.machineId,
    toStatus: (e.toStatus ?? '').replace(/^MACHINE_STATUS_/, ''),
    details: e.details ?? {},
  }));
}

async function main(run: BenchRun): Promise<void> {
  const { machines, json } = options();
  progress('building the ramdisk and the test image');
  const [ramdisk, imagePath] = await Promise.all([buildRamdisk(), buildTestImage()]);
  const imageBytes = (await stat(imagePath)).size;
  progress(`starting OVN, ${machines} smartNIC(s) on an underlay, the coordinator and ${machines} VM(s)`);
  // The VM's log to stderr: stdout is the figures'.
  const log = pino({ name: 'bench-deploy' }, pino.destination(2));
  const hostnames = Array.from({ length: machines }, (_, i) => `bench-deploy-${i + 1}`);
  // SIGINT or SIGTERM stops what was started (QEMU, OVS, OVN, the coordinator) in order (cli.ts).
  const starting = VmDeployFleet.start({ ramdiskDir: ramdisk.dir, hostnames, stepTimeoutMs: STEP_TIMEOUT_MS, log });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= starting.then(
      (f) => f.stop(),
      () => undefined, // a start that failed cleaned up after itself
    ));
  run.onInterrupt(stop);
  const fleet = await starting;
  const world = fleet.world;
  let phases: DeployPhases[];
  let curl: number;
  let limits: { switchMBps: number; guestSinkMBps: number };
  try {
    await world.tenantNetwork('bench', await unusedPrefix());
    await world.ctl('image', 'add', 'bench-image', '--disk', imagePath);
    for (const hostname of hostnames) await world.ctl('machine', 'allocate', '--name', hostname);
    // The switch's limit before the deploys, while the machines are off (transfer-limits.ts).
    progress('measuring the provisioning switch with curl from a namespace on it');
    const switchRate = await switchBytesPerSecond(world);
    progress(`deploying ${hostnames.join(', ')}${machines > 1 ? ' side by side' : ''}`);
    // The first machine measures its own download rate on its first boot (guestSinkBytesPerSecond
    // reads its serial console); the others deploy without user-data.
    const userData = await world.file(
      'user-data',
      `#cloud-config\nruncmd:\n  - ${guestSinkRuncmd(limitUrl(world), (await stat(ramdisk.initrd)).size)}\n`,
    );
    await Promise.all(
      hostnames.map((h, i) =>
        world.ctl('machine', 'deploy', h, '--image', 'bench-image', '--network', 'bench', ...(i === 0 ? ['--user-data', userData] : [])),
      ),
    );
    await Promise.all(
      hostnames.map((h) => world.statuses.waitFor(h, 'DEPLOYED', 3 * STEP_TIMEOUT_MS, async () => world.ctl('machine', 'show', h))),
    );
    phases = deployPhases((await Promise.all(hostnames.map((h) => machineEvents(world, h)))).flat());
    if (phases.length !== machines) throw new Error(`${phases.length} deploy timelines in the event log, expected ${machines}`);
    // One after the other: the guest's first, as it starts on its own once deployed.
    progress("measuring the guest's download rate, then the boot service's with curl");
    const guestSink = await guestSinkBytesPerSecond(world, STEP_TIMEOUT_MS);
    curl = await curlBytesPerSecond(limitUrl(world));
    limits = { switchMBps: round(switchRate / MB), guestSinkMBps: round(guestSink / MB) };
  } finally {
    await stop();
  }
  const transferMBps = Math.min(...phases.map((p) => imageBytes / MB / (p.transferMs / 1000)));
  // The image from the first byte to its checksum verified on the disk (transfer and verify).
  const verifiedMBps = Math.min(...phases.map((p) => imageBytes / MB / ((p.transferMs + p.verifyMs) / 1000)));
  const result = {
    machines,
    deployP50S: across(phases, 'wallMs', 50, 1000),
    deployMaxS: Math.max(...phases.map((p) => p.wallMs / 1000)),
    overheadP99Ms: across(phases, 'overheadMs', 99),
    transferMBps: round(transferMBps),
    curlMBps: round(curl / MB),
    ...limits,
    verifiedMBps: round(verifiedMBps),
    imageBytes,
    firmwareP50S: across(phases, 'firmwareMs', 50, 1000),
    transferP50S: across(phases, 'transferMs', 50, 1000),
    verifyP50S: across(phases, 'verifyMs', 50, 1000),
    writeP50S: across(phases, 'writeMs', 50, 1000),
    firstBootP50S: across(phases, 'firstBootMs', 50, 1000),
    accel: world.machine.accel,
    targets: {
      overheadUnder1s: across(phases, 'overheadMs', 99) < TARGETS.overheadMs,
      transferAtLeast80PercentOfCurl: transferMBps >= TARGETS.transferShareOfCurl * (curl / MB),
    },
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else for (const [key, value] of Object.entries(result)) process.stdout.write(`${key.padEnd(16)} ${JSON.stringify(value)}\n`);
}

/** The q-th percentile of one phase over the deploys, divided by `unit` (1000: seconds from ms). */
function across(phases: readonly DeployPhases[], key: Exclude<keyof DeployPhases, 'machineId'>, q: number, unit = 1): number {
  return percentile(
    phases.map((p) => p[key] / unit),
    q,
  );
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

runBench(BENCH, main);
