// Compose, power and delete against a real LXD through the agent's command executor; requests that
// are wrong are refused before LXD is asked (nothing half-created), and LXD's own refusal of a
// virtual machine on a host without KVM comes back in lxd_error.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LxdCompose__Output } from '../../../proto/generated/index.js';
import { LxdFixture, names, waitForReport } from './lxd-fixture.js';

let f: LxdFixture;
// A host bridge of this test's own (LXD's bridge networks need iptables, which is not installed
// here): NICs attach to it directly (parent) or through a managed macvlan network on it (network).
const bridge = `mtb${process.pid % 100_000}`;
const req = (name: string, extra: Partial<LxdCompose__Output> = {}) => ({
  kind: 'lxdCompose' as const,
  lxdCompose: {
    name,
    type: 'container',
    cores: 1,
    pinnedCpus: '',
    memoryBytes: 128 * 2 ** 20,
    hugepages: false,
    rootDiskBytes: 0,
    pool: '',
    nics: [],
    machineId: `m-${name}`,
    image: 'busybox',
    ...extra,
  },
});
const power = (name: string, action: string) => ({ kind: 'lxdPower' as const, lxdPower: { name, action } });
const listed = () => f.lxd.lxc('list', '--project', 'tenant', '--format', 'csv', '-c', 'ns');

beforeAll(async () => {
  f = await LxdFixture.start();
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await f.lxd.lxc('network', 'create', 'mnet0', '--type=macvlan', `parent=${bridge}`);
  const r = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'tenant', create: true } });
  expect(r.ok, r.error).toBe(true);
});

afterAll(async () => {
  await f?.stop();
  execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
});

describe('composing instances', () => {
  it('composes a container with cores, memory, a root disk in a pool and a NIC on a named network', async () => {
    const r = await f.command(
      req('c1', { nics: [{ network: 'mnet0', parent: '', sriovParent: '', name: 'eth0', mac: '00:16:3E:00:00:01' }], pool: 'default' }),
    );
    expect(r.ok, r.error).toBe(true);
    expect(r.lxd?.instance).toMatchObject({
      name: 'c1',
      status: 'Stopped',
      cores: 1,
      memoryBytes: 128 * 2 ** 20,
      pool: 'default',
      machineId: 'm-c1',
    });
    expect(r.lxd?.instance?.nics).toEqual([{ network: 'mnet0', parent: '', sriovParent: '', name: 'eth0', mac: '00:16:3e:00:00:01' }]);
    const cfg = JSON.parse(await f.lxd.lxc('query', '/1.0/instances/c1?project=tenant')) as {
      config: Record<string, string>;
      devices: Record<string, Record<string, string>>;
    };
    expect(cfg.config['limits.cpu']).toBe('1');
    expect(cfg.devices.eth0).toMatchObject({ type: 'nic', network: 'mnet0', hwaddr: '00:16:3e:00:00:01' });
    expect(cfg.devices.root).toMatchObject({ type: 'disk', path: '/', pool: 'default' });
  });

  it('pins cores on one NUMA node and turns the other NIC kinds into LXD devices', async () => {
    const r = await f.command(
      req('c2', {
        cores: 0,
        pinnedCpus: '0',
        nics: [
          { network: '', parent: bridge, sriovParent: '', name: '', mac: '' },
          { network: '', parent: '', sriovParent: 'enp1s0f0', name: '', mac: '' },
        ],
      }),
    );
    // SR-IOV needs a real PF; LXD refuses at start, not at create: the devices are as asked.
    expect(r.ok, r.error).toBe(true);
    expect(r.lxd?.instance?.pinnedCpus).toBe('0');
    const cfg = JSON.parse(await f.lxd.lxc('query', '/1.0/instances/c2?project=tenant')) as {
      config: Record<string, string>;
      devices: Record<string, Record<string, string>>;
    };
    expect(cfg.config['limits.cpu']).toBe('0-0');
    expect(cfg.devices.eth0).toMatchObject({ nictype: 'bridged', parent: bridge });
    expect(cfg.devices.eth1).toMatchObject({ nictype: 'sriov', parent: 'enp1s0f0' });
    expect((await f.command({ kind: 'lxdDelete', lxdDelete: { name: 'c2' } })).ok).toBe(true);
  });

  it('refuses bad requests with a message naming the field, creating nothing', async () => {
    const cases: [Partial<LxdCompose__Output>, RegExp][] = [
      [{ name: '9bad' }, /^name: "9bad" is not an instance name/],
      [{ type: 'vm' }, /^type: "vm" is not container or virtual-machine/],
      [{ pinnedCpus: '0-999', cores: 0 }, /^pinned_cpus: CPU 2, .* does not exist on this host/],
      [{ pinnedCpus: 'x' }, /^pinned_cpus: "x" is not a CPU set/],
      [{ pinnedCpus: '0', cores: 2 }, /^cores: 2 cores requested but the pinned set 0 has 1/],
      [{ pool: 'nosuch' }, /^pool: storage pool "nosuch" does not exist \(pools: default\)/],
      [
        { nics: [{ network: 'a', parent: 'b', sriovParent: '', name: '', mac: '' }] },
        /^nics\[0\]: give exactly one of network, parent or sriov_parent/,
      ],
      [{ hugepages: true, memoryBytes: 0 }, /^memory: hugepage-backed memory needs a memory size/],
    ];
    for (const [extra, message] of cases) {
      const r = await f.command(req('bad', extra));
      expect(r.errorCode, JSON.stringify(extra)).toBe('LXD_INVALID');
      expect(r.error).toMatch(message);
    }
    expect(await listed()).toBe('c1,STOPPED');
  });

  it('returns LXD refusals with LXD reason, e.g. a virtual machine on a host without KVM', async () => {
    const r = await f.command(req('vm1', { type: 'virtual-machine', image: '' }));
    expect(r.ok).toBe(false);
    expect(r.errorCode).toBe('LXD_ERROR');
    expect(r.lxd?.lxdError).toMatch(/vhost_vsock|virtual-machine.*not supported|KVM/i);
    expect(r.error).toContain(r.lxd!.lxdError);
    expect(f.host.report.instanceTypes).toEqual(['container']);
    // c1 again for its machine, but not as it was composed (no NIC now): LXD's refusal stands.
    const dup = await f.command(req('c1'));
    expect(dup.errorCode).toBe('LXD_ERROR');
    expect(dup.lxd?.lxdError).toMatch(/already exists/);
  });

  it('starts, restarts, reads state, stops and deletes, and reports each change', async () => {
    const start = await f.command(power('c1', 'start'));
    expect(start.ok, start.error).toBe(true);
    expect(start.lxd?.instance?.status).toBe('Running');
    await waitForReport(f.host, (r) => r.instances.find((i) => i.name === 'c1')?.status === 'Running', 30_000, 'c1 running in the report');
    expect((await f.command(power('c1', 'start'))).lxd?.instance?.status).toBe('Running');
    const restart = await f.command(power('c1', 'restart'));
    expect(restart.ok, restart.error).toBe(true);
    expect(restart.lxd?.instance?.status).toBe('Running');
    expect((await f.command(power('c1', 'state'))).lxd?.instance?.status).toBe('Running');
    // busybox init ignores LXD's clean shutdown signal: the stop is forced after the 1 s grace.
    const stop = await f.command(power('c1', 'stop'));
    expect(stop.ok, stop.error).toBe(true);
    expect(stop.lxd?.instance?.status).toBe('Stopped');
    expect((await f.command(power('c1', 'reboot'))).errorCode).toBe('LXD_INVALID');
    const again = await f.command(power('c1', 'start'));
    expect(again.ok, again.error).toBe(true);
    const del = await f.command({ kind: 'lxdDelete', lxdDelete: { name: 'c1' } });
    expect(del.ok, del.error).toBe(true);
    expect(await listed()).toBe('');
    await waitForReport(f.host, (r) => !names(r).includes('c1'), 30_000, 'c1 gone from the report');
  });

  it('answers a repeated command id from the store without asking LXD again', async () => {
    const first = await f.command(req('c3'), 'compose-c3');
    expect(first.ok, first.error).toBe(true);
    await f.lxd.lxc('delete', 'c3', '--project', 'tenant');
    const again = await f.command(req('c3'), 'compose-c3');
    // The same outcome; the report is the one standing now (the record keeps no copy of it).
    expect({ ...again, lxd: { ...again.lxd, report: null } }).toEqual({ ...first, lxd: { ...first.lxd, report: null } });
    expect(again.lxd?.report?.project).toBe('tenant');
    expect(await listed()).toBe('');
  });

  it('counts the project usage as tracked, and host resources per NUMA node and pool', async () => {
    expect((await f.command(req('u1', { cores: 2, memoryBytes: 2 ** 30 }))).ok).toBe(true);
    const huge = await f.command(req('u2', { cores: 1, memoryBytes: 2 ** 29, hugepages: true }));
    expect(huge.errorCode).toBe('LXD_INVALID');
    expect(huge.error).toMatch(/^hugepages: .* virtual machines only/);
    const u2 = await f.command(req('u2', { cores: 1, memoryBytes: 2 ** 29 }));
    expect(u2.ok, u2.error).toBe(true);
    const rep = (await f.command({ kind: 'lxdRefresh', lxdRefresh: {} })).lxd!.report!;
    expect(rep.resources?.tracked).toEqual({
      cores: 3,
      memoryBytes: 2 ** 30 + 2 ** 29,
      hugepageMemoryBytes: 0,
      instances: 2,
      uncountedInstances: 0,
    });
    expect(rep.resources?.numaNodes.length).toBeGreaterThan(0);
    expect(rep.resources?.pools.find((p) => p.name === 'default')).toMatchObject({ driver: 'dir' });
    expect(rep.resources!.pools[0]!.totalBytes).toBeGreaterThan(0);
    expect(rep.resources!.threads).toBe(rep.resources!.numaNodes.flatMap((n) => n.cpus).length);
    expect(rep.serverVersion).toMatch(/^5\./);
  });
});

describe('composing again', () => {
  it('answers a compose carried out again for the same machine (its record lost) with the instance LXD has', async () => {
    const first = await f.command(req('c4'));
    expect(first.ok, first.error).toBe(true);
    await waitForReport(f.host, (r) => names(r).includes('c4'), 30_000, 'c4 in the report');
    f.exchanges.length = 0;
    // Another id: the agent has no record of it, as after a crash before the record's commit.
    const again = await f.command(req('c4'));
    expect(again.ok, again.error).toBe(true);
    expect(again.lxd?.instance).toMatchObject({ name: 'c4', machineId: 'm-c4', type: 'container', cores: 1 });
    const asked = f.exchanges.filter((e) => e.path !== '/1.0/resources'); // a hardware scan may land meanwhile
    expect(asked.map((e) => `${e.method} ${e.path.replace(/operations\/[^/]+/, 'operations/ID')}`)).toEqual([
      'POST /1.0/instances',
      'GET /1.0/operations/ID/wait',
      'GET /1.0/instances/c4',
    ]);
    expect((await listed()).split('\n').filter((l) => l.startsWith('c4,'))).toHaveLength(1);
  });

  it("refuses a compose whose name another machine's instance or someone else's holds, changing neither", async () => {
    expect((await f.command(req('c5'))).ok).toBe(true);
    const other = await f.command(req('c5', { machineId: 'm-other' }));
    expect(other).toMatchObject({ ok: false, errorCode: 'LXD_ERROR' });
    expect(other.error).toMatch(/c5|already exists/);
    await f.lxd.lxc('init', 'busybox', 'c6', '--project', 'tenant');
    const taken = await f.command(req('c6'));
    expect(taken).toMatchObject({ ok: false, errorCode: 'LXD_ERROR' });
    const c5 = JSON.parse(await f.lxd.lxc('query', '/1.0/instances/c5?project=tenant')) as { config: Record<string, string> };
    expect(c5.config).toMatchObject({ 'user.mooring.machine-id': 'm-c5', 'limits.cpu': '1' });
    const c6 = JSON.parse(await f.lxd.lxc('query', '/1.0/instances/c6?project=tenant')) as { config: Record<string, string> };
    expect(c6.config['user.mooring.machine-id']).toBeUndefined();
  });

  it("keeps a compose's record, committed behind its answer, across an agent restart", async () => {
    const first = await f.command(req('c7'), 'compose-c7');
    expect(first.ok, first.error).toBe(true);
    await f.restartAgent();
    f.exchanges.length = 0;
    const again = await f.command(req('c7'), 'compose-c7');
    expect(again.lxd?.instance).toEqual(first.lxd?.instance);
    expect(f.exchanges).toEqual([]);
  });
});
