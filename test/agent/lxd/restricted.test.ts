// LXD as a true tenant (issue 12), against a real LXD: the agent works with a client certificate
// restricted to its project (`lxc config trust add --restricted --projects tenant`, trusted with the
// token that makes), where LXD answers 403 to the all-projects listing and to any other project.
// It assigns and composes in its project, follows its events, reports other projects' usage as
// unknown, and refuses other projects with a message naming the one it may use. Beside it, an
// unrestricted agent on the same LXD shows what counts of other projects: running instances, not
// stopped ones.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LxdCredentialFiles } from '../../../agent/src/lxd/client-credentials.js';
import { LxdClient } from '../../../agent/src/lxd/rest-client.js';
import { trustLxd } from '../../../agent/src/lxd/trust.js';
import { LocalLxd } from '../../../agent/src/lxd/local-lxd.js';
import { AgentStore } from '../../../agent/src/state/agent-store.js';
import type { LxdReport__Output } from '../../../proto/generated/index.js';
import { LxdFixture, log, names, waitForReport } from './lxd-fixture.js';

const MIB = 2 ** 20;
let f: LxdFixture;
let dir: string;
let ownerStore: AgentStore;
let owner: LocalLxd;

const compose = (name: string) => ({
  kind: 'lxdCompose' as const,
  lxdCompose: {
    name,
    type: 'container',
    cores: 1,
    pinnedCpus: '',
    memoryBytes: 64 * MIB,
    hugepages: false,
    rootDiskBytes: 0,
    pool: '',
    nics: [],
    machineId: `m-${name}`,
    image: 'busybox',
  },
});
const refresh = async (): Promise<LxdReport__Output> => (await f.command({ kind: 'lxdRefresh', lxdRefresh: {} })).lxd!.report!;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-lxd-restricted-'));
  f = await LxdFixture.start({ https: true }, async (lxd) => {
    await lxd.createProject('tenant');
    // Another tenant: one running instance and one stopped, both with limits.
    await lxd.createProject('other');
    await lxd.lxc('launch', 'busybox', 'busy', '--project', 'other', '-c', 'limits.cpu=1', '-c', 'limits.memory=64MiB');
    await lxd.lxc('init', 'busybox', 'idle', '--project', 'other', '-c', 'limits.cpu=2', '-c', 'limits.memory=128MiB');
    const token = (
      await lxd.lxc('config', 'trust', 'add', '--restricted', '--projects', 'tenant', '--name', 'mooring-restricted', '--quiet')
    )
      .split('\n')
      .pop()!
      .trim();
    const files = new LxdCredentialFiles({
      certFile: path.join(dir, 'client.crt'),
      keyFile: path.join(dir, 'client.key'),
      serverCertFile: path.join(dir, 'server.crt'),
    });
    await files.generate('mooring@restricted');
    await trustLxd({ url: lxd.httpsUrl, files, token });
    return files.endpoint(lxd.httpsUrl);
  });
  ownerStore = AgentStore.open(await mkdtemp(path.join(dir, 'owner-')));
  owner = new LocalLxd(
    new LxdClient({ kind: 'unix', socketPath: f.lxd.socket }),
    ownerStore,
    { defaultImage: '', stopGraceSeconds: 1, reconnect: { initialMs: 100, maxMs: 1000 } },
    log,
  );
  owner.start();
});

afterAll(async () => {
  owner?.close();
  await ownerStore?.close();
  await f?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('an agent whose LXD certificate is restricted to its project', () => {
  it('is really restricted: LXD lists it as restricted to tenant and refuses it other projects', async () => {
    const trusted = JSON.parse(await f.lxd.lxc('query', '/1.0/certificates?recursion=1')) as {
      name: string;
      restricted: boolean;
      projects: string[];
    }[];
    expect(trusted.find((c) => c.name === 'mooring-restricted')).toMatchObject({ restricted: true, projects: ['tenant'] });
  });

  it('refuses a project outside its restriction, naming the one it may use, and creates none', async () => {
    const other = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'other', create: false } });
    expect(other.ok).toBe(false);
    expect(other.errorCode).toBe('LXD_INVALID');
    expect(other.error).toMatch(/LXD refuses project other to this agent's certificate, which is restricted to project tenant;/);
    const created = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'brand-new', create: true } });
    expect(created.errorCode).toBe('LXD_INVALID');
    expect(created.error).toMatch(
      /refuses project brand-new .* restricted to project tenant; a restricted certificate can neither see nor create other projects/,
    );
    expect(await f.lxd.lxc('query', '/1.0/projects')).not.toMatch(/brand-new/);
    expect(f.store.lxdProject()).toBeNull();
  });

  it('assigns its project and reports other projects’ usage as unknown, saying why', async () => {
    const r = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'tenant', create: false } });
    expect(r.ok, r.error).toBe(true);
    const rep = r.lxd!.report!;
    expect(rep).toMatchObject({ connected: true, project: 'tenant', error: '' });
    expect(rep.resources?.threads).toBeGreaterThan(0);
    expect(rep.resources?.memoryTotal).toBeGreaterThan(0);
    expect(rep.resources?.pools.map((p) => p.name)).toEqual(['default']);
    expect(rep.resources?.otherUsage).toBe('LXD_OTHER_USAGE_UNKNOWN');
    expect(rep.resources?.other).toBeNull();
    expect(rep.resources?.otherUsageNote).toMatch(/restricted to its projects/);
    expect(JSON.stringify(rep)).not.toMatch(/busy|idle/);
  });

  it('composes in its project, counts it, and follows the project’s events', async () => {
    const r = await f.command(compose('t1'));
    expect(r.ok, r.error).toBe(true);
    expect(await f.lxd.lxc('list', '--project', 'tenant', '--format', 'csv', '-c', 'n')).toBe('t1');
    await f.lxd.lxc('init', 'busybox', 'by-hand', '--project', 'tenant', '-c', 'limits.cpu=1');
    await waitForReport(
      f.host,
      (rep) => names(rep).includes('by-hand') && names(rep).includes('t1'),
      30_000,
      'both instances through the restricted event stream',
    );
    const rep = await refresh();
    expect(rep.resources?.tracked).toMatchObject({ cores: 2, memoryBytes: 64 * MIB, instances: 2 });
    expect(rep.resources?.otherUsage).toBe('LXD_OTHER_USAGE_UNKNOWN');
  });
});

describe('what other projects’ instances count (an unrestricted agent on the same LXD)', () => {
  it('counts running instances of other projects and not stopped ones, re-read on a full refresh', async () => {
    await owner.assign('tenant', false);
    let rep = await owner.refresh();
    expect(rep.resources?.otherUsage).toBe('LXD_OTHER_USAGE_KNOWN');
    // busy runs (1 core, 64 MiB); idle is stopped: present, not counted.
    expect(rep.resources?.other).toEqual({ cores: 1, memoryBytes: 64 * MIB, hugepageMemoryBytes: 0, instances: 2, uncountedInstances: 1 });
    // The project's own stopped instances (t1, by-hand) count in full.
    expect(rep.resources?.tracked).toMatchObject({ cores: 2, instances: 2, uncountedInstances: 0 });
    await f.lxd.lxc('start', 'idle', '--project', 'other');
    rep = await owner.refresh();
    expect(rep.resources?.other).toEqual({ cores: 3, memoryBytes: 192 * MIB, hugepageMemoryBytes: 0, instances: 2, uncountedInstances: 0 });
    await f.lxd.lxc('stop', 'idle', '--project', 'other', '--force');
    rep = await owner.refresh();
    expect(rep.resources?.other).toMatchObject({ cores: 1, memoryBytes: 64 * MIB, uncountedInstances: 1 });
  });
});
