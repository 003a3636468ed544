// Project scoping against a real LXD (issue 6, "MAAS is a tenant, not the owner"): each point is
// one test, driven through the agent's command executor as the coordinator's commands are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandExecutor } from '../../../agent/src/commands/command-executor.js';
import { LxdFixture, log, names, waitForReport } from './lxd-fixture.js';

let f: LxdFixture;
const compose = (name: string, extra: Record<string, unknown> = {}) => ({
  kind: 'lxdCompose' as const,
  lxdCompose: {
    name,
    type: 'container',
    cores: 1,
    pinnedCpus: '',
    memoryBytes: 64 * 2 ** 20,
    hugepages: false,
    rootDiskBytes: 0,
    pool: '',
    nics: [],
    machineId: `m-${name}`,
    image: 'busybox',
    ...extra,
  },
});

beforeAll(async () => {
  f = await LxdFixture.start();
  // Another tenant's project with a running instance, made with lxc.
  await f.lxd.createProject('other');
  await f.lxd.lxc('launch', 'busybox', 'outsider', '--project', 'other');
});

afterAll(async () => {
  await f?.stop();
});

describe('LXD project scoping', () => {
  it('refuses to compose while no project is assigned, and there is no default project', async () => {
    const r = await f.command(compose('early'));
    expect(r.ok).toBe(false);
    expect(r.errorCode).toBe('LXD_NOT_ASSIGNED');
    expect(r.error).toMatch(/no LXD project is assigned/);
    const empty = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: '', create: false } });
    expect(empty.errorCode).toBe('LXD_INVALID');
    expect(await f.lxd.lxc('list', '--all-projects', '--format', 'csv', '-c', 'n')).toBe('outsider');
  });

  it('refuses lxd commands on an agent without the LXD side (role smartnic)', async () => {
    const nic = new CommandExecutor(f.store, { binder: () => Promise.reject(new Error('unused')) }, 1000, log);
    const r = await nic.execute({ id: 'nic-1', kind: 'lxdRefresh', lxdRefresh: {} });
    expect(r).toMatchObject({ ok: false, errorCode: 'LXD_UNSUPPORTED' });
    expect(r.error).toMatch(/role smartnic/);
  });

  it('refuses a project that does not exist unless asked to create it, and create on an existing project', async () => {
    const missing = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'nosuch', create: false } });
    expect(missing.errorCode).toBe('LXD_NOT_FOUND');
    const taken = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'other', create: true } });
    expect(taken.errorCode).toBe('LXD_INVALID');
    expect(taken.error).toMatch(/already exists/);
  });

  it('creates an empty project with every feature off and assigns it durably', async () => {
    const r = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'mooring', create: true } });
    expect(r.ok, r.error).toBe(true);
    expect(r.lxd?.report?.project).toBe('mooring');
    expect(r.lxd?.report?.instances).toEqual([]);
    const config = JSON.parse(await f.lxd.lxc('query', '/1.0/projects/mooring')) as { config: Record<string, string> };
    const features = Object.entries(config.config).filter(([k]) => k.startsWith('features.'));
    expect(features.length).toBeGreaterThan(0);
    expect(features.every(([, v]) => v === 'false')).toBe(true);
    await f.restartAgent();
    expect(f.store.lxdProject()).toBe('mooring');
    await waitForReport(f.host, (rep) => rep.connected && rep.project === 'mooring', 30_000, 'the restarted agent to report its project');
    const again = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'other', create: false } });
    expect(again.errorCode).toBe('LXD_ASSIGNED');
  });

  it('never sees, changes, starts, stops or deletes instances of other projects', async () => {
    const rep = (await f.command({ kind: 'lxdRefresh', lxdRefresh: {} })).lxd!.report!;
    expect(names(rep)).not.toContain('outsider');
    expect(JSON.stringify(rep)).not.toContain('outsider');
    expect(rep.resources?.other?.instances).toBe(1);
    for (const action of ['stop', 'start', 'restart', 'state']) {
      const r = await f.command({ kind: 'lxdPower', lxdPower: { name: 'outsider', action } });
      expect(r.errorCode, action).toBe('LXD_NOT_FOUND');
      expect(r.error).toMatch(/instance outsider in project mooring not found/);
    }
    const del = await f.command({ kind: 'lxdDelete', lxdDelete: { name: 'outsider' } });
    expect(del.errorCode).toBe('LXD_NOT_FOUND');
    expect(await f.lxd.lxc('list', '--project', 'other', '--format', 'csv', '-c', 'ns')).toBe('outsider,RUNNING');
  });

  it('creates composed instances in the assigned project only, marked with their machine id', async () => {
    const r = await f.command(compose('vm-a'));
    expect(r.ok, r.error).toBe(true);
    expect(r.lxd?.instance).toMatchObject({
      name: 'vm-a',
      type: 'container',
      cores: 1,
      memoryBytes: 64 * 2 ** 20,
      machineId: 'm-vm-a',
      pool: 'default',
    });
    expect(await f.lxd.lxc('config', 'get', 'vm-a', 'user.mooring.machine-id', '--project', 'mooring')).toBe('m-vm-a');
    expect(await f.lxd.lxc('list', '--project', 'other', '--format', 'csv', '-c', 'n')).toBe('outsider');
    // The same name as another project's instance is a different instance, in our project.
    const same = await f.command(compose('outsider'));
    expect(same.ok, same.error).toBe(true);
    await waitForReport(
      f.host,
      (rep) => names(rep).includes('outsider') && names(rep).includes('vm-a'),
      30_000,
      'both instances in the report',
    );
    const del = await f.command({ kind: 'lxdDelete', lxdDelete: { name: 'outsider' } });
    expect(del.ok, del.error).toBe(true);
    expect(await f.lxd.lxc('list', '--project', 'other', '--format', 'csv', '-c', 'ns')).toBe('outsider,RUNNING');
  });

  it('leaves instances in place on release by default, and deletes only its own with delete-instances', async () => {
    const keep = await f.command({ kind: 'lxdRelease', lxdRelease: { deleteInstances: false } });
    expect(keep.ok, keep.error).toBe(true);
    expect(keep.lxd?.report?.project).toBe('');
    expect(f.store.lxdProject()).toBeNull();
    expect(await f.lxd.lxc('list', '--project', 'mooring', '--format', 'csv', '-c', 'n')).toBe('vm-a');
    const back = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'mooring', create: false } });
    expect(back.ok, back.error).toBe(true);
    expect(names(back.lxd!.report!)).toEqual(['vm-a']);
    const gone = await f.command({ kind: 'lxdRelease', lxdRelease: { deleteInstances: true } });
    expect(gone.ok, gone.error).toBe(true);
    expect(await f.lxd.lxc('list', '--project', 'mooring', '--format', 'csv', '-c', 'n')).toBe('');
    expect(await f.lxd.lxc('list', '--project', 'other', '--format', 'csv', '-c', 'ns')).toBe('outsider,RUNNING');
  });
});
