// VM hosts survive faults: kill -9 of the coordinator (changes made with lxc while it was down
// arrive with the agent's next hello), kill -9 of the agent (its machines stay, nothing is
// duplicated, what changed meanwhile is reconciled), an LXD restart under a running agent, and
// commands for a host whose agent is down refused at once, naming its state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VmHost__Output } from '../../proto/generated/index.js';
import { VmHostLab } from '../harness/vmhost-lab.js';

let lab: VmHostLab;
const machineCount = async (): Promise<number> => (await lab.json<VmHost__Output>('vmhost', 'show', 'lx2')).machines.length;

beforeAll(async () => {
  lab = await VmHostLab.start('lx2');
  await lab.json('vmhost', 'add', '--agent', 'lx2', '--project', 'tenant', '--create-project', '--image', 'busybox');
  await lab.json(
    'vm',
    'compose',
    '--host',
    'lx2',
    '--name',
    'k1',
    '--cores',
    '1',
    '--memory',
    '128M',
    '--disk',
    '1G',
    '--type',
    'container',
  );
  await lab.lxd.lxc('init', 'busybox', 'k2', '--project', 'tenant');
  await lab.waitForMachine('k2', 'READY');
});

afterAll(async () => lab?.stop());

describe('VM host faults', () => {
  it('catches up after a coordinator kill -9 with what changed in LXD meanwhile', async () => {
    const before = await lab.machine('k1');
    await lab.restartCoordinator(async () => {
      await lab.lxd.lxc('init', 'busybox', 'k3', '--project', 'tenant');
      await lab.lxd.lxc('delete', 'k2', '--project', 'tenant');
    });
    await lab.waitForAgentOnline();
    await lab.waitForMachine('k3', 'READY');
    expect(await lab.machine('k2')).toBeNull();
    expect((await lab.machine('k1'))?.id).toBe(before?.id);
    expect(await machineCount()).toBe(2);
  });

  it('refuses commands while the agent is down, and reconciles once it is back after kill -9', async () => {
    await lab.agent?.kill('SIGKILL');
    await lab.lxd.lxc('init', 'busybox', 'k4', '--project', 'tenant');
    const offline = await lab.ctl(
      'vm',
      'compose',
      '--host',
      'lx2',
      '--name',
      'k5',
      '--cores',
      '1',
      '--memory',
      '128M',
      '--disk',
      '1G',
      '--type',
      'container',
    );
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/^moorctl: agent lx2 is (ONLINE|OFFLINE): cannot compose container k5|agent lx2 is OFFLINE/);
    await lab.startAgent();
    await lab.waitForMachine('k4', 'READY');
    expect(await machineCount()).toBe(3);
    expect(await lab.machine('k5')).toBeNull();
  });

  it('keeps following LXD after LXD restarts under the running agent', async () => {
    await lab.lxd.restart();
    await lab.lxd.lxc('init', 'busybox', 'k6', '--project', 'tenant');
    await lab.waitForMachine('k6', 'READY', 60_000);
    expect(await lab.json<{ powerState: string }>('vm', 'power', 'k6', 'query')).toMatchObject({ powerState: 'POWER_STATE_OFF' });
  });
});
