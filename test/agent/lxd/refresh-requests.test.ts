// What the agent asks a real LXD, counted through the client's exchange hook (issue 16, bullet 5):
// a refresh lists every project's instances in one recursive request and asks for the host beside
// it in the same round, it answers without waiting for LXD's hardware scan (/1.0/resources), whose
// new figures follow in a report, pools are read without LXD working out used_by, and a compose
// is one POST and one wait on its operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LxdExchange } from '../../../agent/src/lxd/rest-client.js';
import type { LxdReport__Output } from '../../../proto/generated/index.js';
import { LxdFixture, names, waitForReport } from './lxd-fixture.js';

let f: LxdFixture;

const compose = (name: string) => ({
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
  },
});

/** The exchanges from now on: clears what the fixture recorded so far. */
function recordFromNow(): LxdExchange[] {
  f.exchanges.length = 0;
  return f.exchanges;
}

const to = (path: string) => (e: LxdExchange) => e.path === path;

beforeAll(async () => {
  f = await LxdFixture.start();
  await f.lxd.createProject('neighbour');
  await f.lxd.lxc('init', 'busybox', 'theirs', '--project', 'neighbour', '-c', 'limits.cpu=1');
  const r = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'mine', create: true } });
  expect(r.ok, r.error).toBe(true);
  const c = await f.command(compose('ours'));
  expect(c.ok, c.error).toBe(true);
  await waitForReport(f.host, (rep) => names(rep).includes('ours'), 30_000, 'the composed instance');
  await f.host.hardwareScanSettled();
});

afterAll(async () => {
  await f?.stop();
});

describe("an LXD refresh's requests", () => {
  it("lists every project's instances in one recursive request and keeps the other projects' out of the report", async () => {
    const seen = recordFromNow();
    const r = await f.command({ kind: 'lxdRefresh', lxdRefresh: {} });
    expect(r.ok, r.error).toBe(true);
    const listings = seen.filter(to('/1.0/instances'));
    expect(listings.map((e) => new URLSearchParams(e.query).toString())).toEqual(['recursion=1&all-projects=true']);
    expect(seen.filter((e) => e.path.startsWith('/1.0/instances/'))).toEqual([]);
    const rep = r.lxd!.report!;
    expect(names(rep)).toEqual(['ours']);
    expect(rep.resources?.tracked).toMatchObject({ cores: 1, instances: 1 });
    expect(rep.resources?.other).toMatchObject({ instances: 1, uncountedInstances: 1 });
    expect(JSON.stringify(r.lxd)).not.toContain('theirs');
  });

  it('asks for the server, the pools and the instances in one round, before any of them answers', async () => {
    const seen = recordFromNow();
    await f.host.refresh();
    const round = ['/1.0', '/1.0/storage-pools', '/1.0/instances'].map((p) => {
      const e = seen.find(to(p));
      expect(e, p).toBeDefined();
      return e!;
    });
    const lastStart = Math.max(...round.map((e) => e.startedAt));
    const firstAnswer = Math.min(...round.map((e) => e.startedAt + e.ms));
    expect(lastStart).toBeLessThan(firstAnswer);
  });

  it('answers without waiting for the hardware scan, and a report with the new scan follows', async () => {
    await f.host.hardwareScanSettled();
    const before = f.host.report.resourcesReadAt;
    expect(before).not.toBe('');
    const seen = recordFromNow();
    const reports: LxdReport__Output[] = [];
    const record = (rep: LxdReport__Output): void => void reports.push(rep);
    f.host.on('report', record);
    const answer = await f.host.refresh();
    // Answered from the last scan, with the instances and pools read now.
    expect(seen.filter(to('/1.0/resources'))).toEqual([]);
    expect(answer.resourcesReadAt).toBe(before);
    expect(Date.parse(answer.refreshedAt)).toBeGreaterThan(Date.parse(before));
    expect(answer.resources?.threads).toBeGreaterThan(0);
    await f.host.hardwareScanSettled();
    f.host.off('report', record);
    expect(seen.filter(to('/1.0/resources'))).toHaveLength(1);
    const after = reports.at(-1)!;
    expect(Date.parse(after.resourcesReadAt)).toBeGreaterThan(Date.parse(before));
    expect(after.resources?.threads).toBe(answer.resources?.threads);
    expect(names(after)).toEqual(['ours']);
    expect(f.host.report).toBe(after);
  });

  it("reads the pools' names and space, without recursion and with each driver asked once", async () => {
    const seen = recordFromNow();
    const rep = await f.host.refresh();
    expect(rep.resources?.pools).toEqual([expect.objectContaining({ name: 'default', driver: 'dir' })]);
    expect(rep.resources?.pools[0]?.totalBytes).toBeGreaterThan(0);
    const pools = seen.filter((e) => e.path.startsWith('/1.0/storage-pools'));
    expect(pools.map((e) => `${e.path}?${e.query}`).sort()).toEqual(['/1.0/storage-pools/default/resources?', '/1.0/storage-pools?']);
  });
});

describe("a compose's requests", () => {
  it('is one POST and one wait on its operation, never a poll of it', async () => {
    const seen = recordFromNow();
    const r = await f.command(compose('counted'));
    expect(r.ok, r.error).toBe(true);
    const own = seen.filter((e) => e.method !== 'GET' || e.path.startsWith('/1.0/operations/'));
    expect(own.map((e) => `${e.method} ${e.path.replace(/operations\/[^/]+/, 'operations/ID')}`)).toEqual([
      'POST /1.0/instances',
      'GET /1.0/operations/ID/wait',
    ]);
    expect(own[0]!.query).toBe('project=mine');
  });
});
