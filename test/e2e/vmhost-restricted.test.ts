// A VM host whose agent holds an LXD certificate restricted to one project (issue 12, "LXD as a
// true tenant"), end to end: a private LXD on HTTPS, a restricted trust token from
// `lxc config trust add --restricted --projects tenant` taken by `mooring-agent lxd trust`, a real
// coordinator and agent process, driven through moorctl. `vmhost add` and compose work, `vmhost
// show` says other projects' usage is unknown, budgets count the project only, and a project
// outside the restriction is refused with a message naming the allowed one.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Machine__Output, VmHost__Output } from '../../proto/generated/index.js';
import { agentCli, type CliResult } from '../harness/cli.js';
import { VmHostLab } from '../harness/vmhost-lab.js';

let lab: VmHostLab;
let trusted: CliResult;

beforeAll(async () => {
  lab = await VmHostLab.start('lx1', {
    lxdAccess: async (l) => {
      await l.lxd.createProject('tenant');
      // Another tenant of the same LXD, with a running instance holding a core and 64 MiB.
      await l.lxd.createProject('other');
      await l.lxd.lxc('launch', 'busybox', 'busy', '--project', 'other', '-c', 'limits.cpu=1', '-c', 'limits.memory=64MiB');
      const token = (await l.lxd.lxc('config', 'trust', 'add', '--restricted', '--projects', 'tenant', '--name', 'lx1', '--quiet'))
        .split('\n')
        .pop()!
        .trim();
      const flags = ['--data-dir', l.agentDir, '--lxd-url', l.lxd.httpsUrl];
      const env = { ...process.env, LXD_DIR: '' };
      const init = await agentCli(['lxd', 'init-cert', ...flags], env);
      if (init.code !== 0) throw new Error(`lxd init-cert: ${init.stderr}`);
      const tokenFile = path.join(l.dir, 'trust-token');
      await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
      trusted = await agentCli(['lxd', 'trust', ...flags, '--trust-token-file', tokenFile], env);
      if (trusted.code !== 0) throw new Error(`lxd trust: ${trusted.stderr}`);
      return ['--lxd-url', l.lxd.httpsUrl];
    },
  });
});

afterAll(async () => {
  await lab?.stop();
});

describe('a VM host with a restricted LXD certificate', () => {
  it('takes the restricted token and says what the restriction means (lxd trust, lxd check)', async () => {
    expect(trusted.stdout).toMatch(/^trusted by https:\/\/127\.0\.0\.1:\d+: client [0-9a-f]{64}/);
    expect(trusted.stdout).toMatch(/\ncertificate restricted to project tenant: other projects' usage will show as unknown\n/);
    const check = await agentCli(['lxd', 'check', '--data-dir', lab.agentDir, '--lxd-url', lab.lxd.httpsUrl], {
      ...process.env,
      LXD_DIR: '',
    });
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ auth: 'trusted', restrictedTo: ['tenant'] });
  });

  it('refuses a project outside the restriction, naming the one it may use', async () => {
    const other = await lab.ctl('vmhost', 'add', '--agent', 'lx1', '--project', 'other', '--image', 'busybox');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      new RegExp(
        /^moorctl: agent lx1 could not assign LXD project other: .*/.source +
          /LXD refuses project other to this agent's certificate, /.source +
          /which is restricted to project tenant;.*\(FAILED_PRECONDITION\)\n$/.source,
      ),
    );
    const created = await lab.ctl('vmhost', 'add', '--agent', 'lx1', '--project', 'fresh', '--create-project');
    expect(created.code).toBe(1);
    expect(created.stderr).toMatch(/a restricted certificate can neither see nor create other projects/);
    expect(await lab.lxd.lxc('query', '/1.0/projects')).not.toMatch(/fresh/);
    expect((await lab.json<{ hosts: unknown[] }>('vmhost', 'list')).hosts).toEqual([]);
  });

  it('adds the host on its project; vmhost show says other projects’ usage is unknown', async () => {
    const added = await lab.json<VmHost__Output>('vmhost', 'add', '--agent', 'lx1', '--project', 'tenant', '--image', 'busybox');
    expect(added).toMatchObject({ name: 'lx1', project: 'tenant', agentState: 'ONLINE' });
    expect(added.report).toMatchObject({ connected: true, error: '', endpoint: lab.lxd.httpsUrl });
    expect(added.report?.resources?.otherUsage).toBe('LXD_OTHER_USAGE_UNKNOWN');
    expect(added.report?.resources?.other).toBeNull();
    // busy (1 core, 64 MiB, running in project other) is not known, so not counted.
    expect(added.cores?.used).toBe(0);
    expect(added.memory?.used).toBe(0);
    const shown = await lab.ctl('vmhost', 'show', 'lx1');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/\nother projects +unknown \(restricted certificate\): cores and memory used count project tenant only\n/);
    expect(shown.stdout).not.toMatch(/\bbusy\b/);
  });

  it('composes into a READY machine and counts it against the budget', async () => {
    const m = await lab.json<Machine__Output>(
      'vm',
      'compose',
      '--host',
      'lx1',
      '--name',
      'c1',
      '--cores',
      '1',
      '--memory',
      '128M',
      '--disk',
      '1G',
      '--type',
      'container',
    );
    expect(m).toMatchObject({ hostname: 'c1', status: 'MACHINE_STATUS_READY', power: { driver: 'POWER_DRIVER_LXD', address: 'lx1/c1' } });
    expect(await lab.instances('tenant')).toEqual(['c1']);
    const power = await lab.json<Machine__Output>('vm', 'power', 'c1', 'on');
    expect(power.powerState).toBe('POWER_STATE_ON');
    expect(await lab.status('tenant', 'c1')).toBe('Running');
    const h = await lab.json<VmHost__Output>('vmhost', 'refresh', 'lx1');
    expect(h.cores?.used).toBe(1);
    expect(h.memory?.used).toBe(128 * 2 ** 20);
    expect(h.report?.resources?.otherUsage).toBe('LXD_OTHER_USAGE_UNKNOWN');
  });

  it('refuses a compose past the budget, saying used counts the project only', async () => {
    const h = await lab.json<VmHost__Output>('vmhost', 'show', 'lx1');
    const r = await lab.ctl(
      'vm',
      'compose',
      '--host',
      'lx1',
      '--cores',
      String((h.cores?.allowed ?? 0) + 1),
      '--memory',
      '64M',
      '--disk',
      '1G',
      '--type',
      'container',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        /cannot take this VM: cores: ratio 1 x \d+ capacity = \d+, 1 used, \d+ requested; /.source +
          /used counts this host's project only: other projects' usage is unknown/.source,
      ),
    );
  });
});
