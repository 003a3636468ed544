// The coordinator killed (SIGKILL, through the sequencer's crash failpoint) at each step of a
// BIOS-halt deploy in turn — once just after the step was stored and before it acted, once just
// after it acted and before the next was stored — then restarted on the same data dir: the
// deployment finishes with exactly one port and no extra power-on or power cycle.
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

async function restart(crash?: string): Promise<void> {
  const port = coord.port;
  await coord.kill('SIGKILL');
  const childEnv = { ...process.env };
  if (crash) childEnv['MOORING_SEQUENCER_CRASH'] = crash;
  else delete childEnv['MOORING_SEQUENCER_CRASH'];
  coord = await startCoordinatorProcess(path.join(dir, 'coord'), { port, logLevel: 'warn', extraArgs: ARGS, env: childEnv });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-crash-'));
  coord = await startCoordinatorProcess(path.join(dir, 'coord'), { logLevel: 'warn', extraArgs: ARGS });
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
  it.each(CRASHES)('%s: resumes and finishes with one port and no extra power-on', { timeout: 90_000 }, async (crash) => {
    await host.bmc.clearCalls();
    await ctl('machine', 'allocate', '--name', HOSTNAME);
    await restart(crash);
    const exited = coord.exited;
    await moorctl(['machine', 'deploy', HOSTNAME], env); // may be cut off by the crash itself
    expect(await exited).toBeNull(); // killed by SIGKILL, not a clean exit
    await restart();
    await statuses.waitFor(
      HOSTNAME,
      'DEPLOYED',
      30_000,
      async () =>
        `after ${crash}: sets ${JSON.stringify(await host.bmc.sets())}; sequence ` +
        `${(await moorctl(['--json', 'events', 'list', '--machine', HOSTNAME], env)).stdout.slice(-3000)}`,
    );
    const sets = await host.bmc.sets();
    // Boot-device writes may repeat after a crash (they are idempotent); power changes never do.
    expect(sets.filter((s) => s.startsWith('set power'))).toEqual(['set power 1', 'set power 0', 'set power 1']);
    expect([...new Set(sets.filter((s) => s.startsWith('set boot')))]).toEqual(['set boot bios', 'set boot pxe']);
    expect(sets.indexOf('set boot bios')).toBeLessThan(sets.indexOf('set power 1'));
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('pf0vf0');
    expect(await host.ovs.vsctl('--columns=name', '--bare', 'find', 'Interface', 'name=pf0vf0')).toBe('pf0vf0');
    // Back to READY and off for the next round.
    await ctl('machine', 'release', HOSTNAME);
    await statuses.waitFor(HOSTNAME, 'READY');
    expect(await host.bmc.power()).toBe('off');
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('');
  });
});
