// The coordinator killed (SIGKILL, through the sequencer's crash failpoint) at each step of a
// BIOS-halt deploy in turn — once just after the step was stored and before it acted, once just
// after it acted and before the next was stored — and restarted on the same data dir each time:
// the deployment finishes with exactly one port and no extra power-on or power cycle.
// One deploy passes every crash point in step order: each restart resumes the sequence from the
// state the last kill left (the step stored, acted or not) and is killed at the next point (armed
// through the failpoint's file, read at each step). A resume from a crash point meets the same
// stored state whether or not an earlier point crashed too, so one deploy covers each of them, at
// one coordinator start per point instead of a fresh deploy, two starts and a release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moorctl } from '../harness/coordinator-cli.js';
import { BIOS_HALT_CRASH_POINTS } from '../harness/crash-points.js';
import type { SimulatedHost } from '../harness/simulated-host.js';
import { SmartNicWorld } from '../harness/smartnic-world.js';

let world: SmartNicWorld;
let host: SimulatedHost;
const HOSTNAME = 'crash-node';

/** The coordinator's process ends killed by a signal (the armed crash point), not by a clean exit. */
async function expectKilledAt(crash: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the coordinator did not die at ${crash} within 30 s`)), 30_000);
  });
  try {
    expect(await Promise.race([world.coord.exited, late])).toBeNull();
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  world = await SmartNicWorld.start({ name: 'crash', portActiveTimeoutMs: 20_000 });
  ({ host } = await world.machine({ agentName: 'dpu-crash', hostname: HOSTNAME, mac: '52:54:00:00:20:01' }));
});

afterAll(async () => {
  await world?.stop();
});

const CRASHES = BIOS_HALT_CRASH_POINTS;

describe('coordinator killed during a BIOS-halt deploy', () => {
  it.each(CRASHES)('killed at %s: started again, it resumes the deploy', { timeout: 60_000 }, async (crash) => {
    await world.arm(crash);
    if (crash === CRASHES[0]) {
      await host.bmc.clearCalls();
      await world.ctl('machine', 'allocate', '--name', HOSTNAME);
      await moorctl(['machine', 'deploy', HOSTNAME], world.env); // may be cut off by the crash itself
    } else {
      await world.startCoordinator(); // resumes from where the last kill left the sequence
    }
    await expectKilledAt(crash);
  });

  it('started again unarmed: finishes with one port and no extra power-on, then releases', { timeout: 60_000 }, async () => {
    await world.arm('');
    await world.startCoordinator();
    await world.statuses.waitFor(
      HOSTNAME,
      'DEPLOYED',
      30_000,
      async () =>
        `sets ${JSON.stringify(await host.bmc.sets())}; sequence ` +
        `${(await moorctl(['--json', 'events', 'list', '--machine', HOSTNAME], world.env)).stdout.slice(-3000)}`,
    );
    const sets = await host.bmc.sets();
    // Boot-device writes may repeat after a crash (they are idempotent); power changes never do.
    expect(sets.filter((s) => s.startsWith('set power'))).toEqual(['set power 1', 'set power 0', 'set power 1']);
    expect([...new Set(sets.filter((s) => s.startsWith('set boot')))]).toEqual(['set boot bios', 'set boot pxe']);
    expect(sets.indexOf('set boot bios')).toBeLessThan(sets.indexOf('set power 1'));
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('pf0vf0');
    expect(await host.ovs.vsctl('--columns=name', '--bare', 'find', 'Interface', 'name=pf0vf0')).toBe('pf0vf0');
    // The restarted coordinator releases it: back to READY, off and unbound.
    await world.ctl('machine', 'release', HOSTNAME);
    await world.statuses.waitFor(HOSTNAME, 'READY');
    expect(await host.bmc.power()).toBe('off');
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('');
  });
});
