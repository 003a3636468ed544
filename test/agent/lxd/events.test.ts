// Live updates from LXD's event stream: instances created, started, stopped and deleted with the
// lxc CLI (outside Mooring) in the assigned project show up in a published report; those in another
// project never do; the stream survives an LXD restart and the report says LXD was away meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LxdFixture, names, waitForReport } from './lxd-fixture.js';

let f: LxdFixture;
const status = (name: string) => (r: Parameters<Parameters<typeof waitForReport>[1]>[0]) =>
  r.instances.find((i) => i.name === name)?.status;

beforeAll(async () => {
  f = await LxdFixture.start();
  await f.lxd.createProject('neighbour');
  const r = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'mine', create: true } });
  expect(r.ok, r.error).toBe(true);
});

afterAll(async () => {
  await f?.stop();
});

describe('LXD lifecycle events', () => {
  it('reports instances created, started, stopped and deleted with lxc in the project, without a refresh command', async () => {
    await f.lxd.lxc('init', 'busybox', 'by-hand', '--project', 'mine');
    await waitForReport(f.host, (r) => status('by-hand')(r) === 'Stopped', 30_000, 'the lxc-created instance');
    await f.lxd.lxc('start', 'by-hand', '--project', 'mine');
    await waitForReport(f.host, (r) => status('by-hand')(r) === 'Running', 30_000, 'the instance running');
    await f.lxd.lxc('stop', 'by-hand', '--project', 'mine', '--force');
    await waitForReport(f.host, (r) => status('by-hand')(r) === 'Stopped', 30_000, 'the instance stopped');
    await f.lxd.lxc('delete', 'by-hand', '--project', 'mine');
    await waitForReport(f.host, (r) => !names(r).includes('by-hand'), 30_000, 'the instance gone');
  });

  it('never reports an instance created in another project', async () => {
    const seen: string[][] = [];
    const record = (r: { instances: { name: string }[] }): void => void seen.push(r.instances.map((i) => i.name));
    f.host.on('report', record);
    await f.lxd.lxc('init', 'busybox', 'theirs', '--project', 'neighbour');
    // A marker in our project after theirs: once it is reported, any event of theirs would have been too.
    await f.lxd.lxc('init', 'busybox', 'marker', '--project', 'mine');
    await waitForReport(f.host, (r) => names(r).includes('marker'), 30_000, 'the marker');
    f.host.off('report', record);
    expect(seen.flat()).not.toContain('theirs');
    expect(JSON.stringify(f.host.report)).not.toContain('theirs');
    // Other projects' usage (counts only, never names) is re-read on a full refresh.
    const full = await f.command({ kind: 'lxdRefresh', lxdRefresh: {} });
    expect(full.lxd?.report?.resources?.other?.instances).toBe(1);
    expect(JSON.stringify(full.lxd)).not.toContain('theirs');
  });

  it('goes disconnected while LXD restarts, resubscribes, and reports changes made after the restart', async () => {
    const down = waitForReport(f.host, (r) => !r.connected, 60_000, 'the report to show LXD away');
    await f.lxd.shutdown();
    const away = await down;
    expect(away.error).toMatch(/event stream lost/);
    await f.lxd.restart();
    await waitForReport(f.host, (r) => r.connected, 60_000, 'the report to recover');
    await f.lxd.lxc('init', 'busybox', 'after-restart', '--project', 'mine');
    const r = await waitForReport(f.host, (rep) => names(rep).includes('after-restart'), 30_000, 'the instance created after the restart');
    expect(r.connected).toBe(true);
    expect(r.error).toBe('');
  });
});
