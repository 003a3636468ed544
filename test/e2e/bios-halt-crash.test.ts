// The coordinator killed (SIGKILL, through the sequencer's crash failpoint) at each step of a
// BIOS-halt deploy in turn — once just after the step was stored and before it acted, once just
// after it acted and before the next was stored — and restarted on the same data dir each time:
// the deployment finishes with exactly one port and no extra power-on or power cycle.
// One deploy passes every crash point in step order: each restart resumes the sequence from the
// state the last kill left (the step stored, acted or not) and is killed at the next point (armed
// through the failpoint's file, read at each step). A resume from a crash point meets the same
// stored state whether or not an earlier point crashed too, so one deploy covers each of them, at
// one coordinator start per point instead of a fresh deploy, two starts and a release.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { SimulatedHost } from '../harness/simulated-host.js';
import { enlistBehindSmartNic, MachineStatuses } from '../harness/smartnic-machine.js';

let dir: string;
let coord: CoordinatorProcess;
let host: SimulatedHost;
let env: Record<string, string>;
let crashFile: string;
const HOSTNAME = 'crash-node';
const ARGS = [
  '--heartbeat-interval-ms',
  '1000',
  '--heartbeat-deadline-ms',
  '5000',
  '--agent-session-timeout-ms',
  '20000',
  '--port-active-timeout-ms',
  '20000',
];

async function ctl(...args: string[]): Promise<string> {
  const r = await moorctl(args, env);
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

const statuses = new MachineStatuses(() => coord);

/** Starts the coordinator on its data dir (its old port: the agent's address names it). */
async function start(port = 0): Promise<void> {
  coord = await startCoordinatorProcess(path.join(dir, 'coord'), {
    port,
    logLevel: 'warn',
    extraArgs: ARGS,
    env: { ...process.env, MOORING_SEQUENCER_CRASH_FILE: crashFile },
  });
}

/** The coordinator's process ends killed by a signal (the armed crash point), not by a clean exit. */
async function expectKilledAt(crash: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the coordinator did not die at ${crash} within 30 s`)), 30_000);
  });
  try {
    expect(await Promise.race([coord.exited, late])).toBeNull();
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-crash-'));
  crashFile = path.join(dir, 'crash');
  await start();
  const caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, coord.caPem);
  env = { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile };
  const token = (JSON.parse(await ctl('--json', 'agent', 'token', 'create', '--name', 'dpu-crash')) as { token: string }).token;
  host = await SimulatedHost.start({
    agentName: 'dpu-crash',
    dir: path.join(dir, 'host'),
    coordinator: coord.address,
    caPem: coord.caPem,
    token,
    power: 'off',
  });
  await enlistBehindSmartNic(env, statuses, host, { hostname: HOSTNAME, mac: '52:54:00:00:20:01', agentName: 'dpu-crash' });
});

afterAll(async () => {
  statuses.close();
  await host?.stop();
  await coord?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

// Around every step that acts on the BMC or OVS: before it (resumed from its stored start) and after
// it (acted, the next step not yet stored). Read-power, wait-agents and finish act on nothing: a
// crash before them is a restart with nothing done yet, or the same resume as the crash after
// power-on or after restore-on.
const CRASHES = [
  'before:set-boot-bios',
  'after:set-boot-bios',
  'before:power-on',
  'after:power-on',
  'before:ports',
  'after:ports',
  'before:set-boot-deploy',
  'before:restore-off',
  'after:restore-off',
  'before:restore-on',
  'after:restore-on',
];

describe('coordinator killed during a BIOS-halt deploy', () => {
  it.each(CRASHES)('killed at %s: started again, it resumes the deploy', { timeout: 60_000 }, async (crash) => {
    await writeFile(crashFile, crash);
    if (crash === CRASHES[0]) {
      await host.bmc.clearCalls();
      await ctl('machine', 'allocate', '--name', HOSTNAME);
      await moorctl(['machine', 'deploy', HOSTNAME], env); // may be cut off by the crash itself
    } else {
      await start(coord.port); // resumes from where the last kill left the sequence
    }
    await expectKilledAt(crash);
  });

  it('started again unarmed: finishes with one port and no extra power-on, then releases', { timeout: 60_000 }, async () => {
    await writeFile(crashFile, '');
    await start(coord.port);
    await statuses.waitFor(
      HOSTNAME,
      'DEPLOYED',
      30_000,
      async () =>
        `sets ${JSON.stringify(await host.bmc.sets())}; sequence ` +
        `${(await moorctl(['--json', 'events', 'list', '--machine', HOSTNAME], env)).stdout.slice(-3000)}`,
    );
    const sets = await host.bmc.sets();
    // Boot-device writes may repeat after a crash (they are idempotent); power changes never do.
    expect(sets.filter((s) => s.startsWith('set power'))).toEqual(['set power 1', 'set power 0', 'set power 1']);
    expect([...new Set(sets.filter((s) => s.startsWith('set boot')))]).toEqual(['set boot bios', 'set boot pxe']);
    expect(sets.indexOf('set boot bios')).toBeLessThan(sets.indexOf('set power 1'));
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('pf0vf0');
    expect(await host.ovs.vsctl('--columns=name', '--bare', 'find', 'Interface', 'name=pf0vf0')).toBe('pf0vf0');
    // The restarted coordinator releases it: back to READY, off and unbound.
    await ctl('machine', 'release', HOSTNAME);
    await statuses.waitFor(HOSTNAME, 'READY');
    expect(await host.bmc.power()).toBe('off');
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('');
  });
});
