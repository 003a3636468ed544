// The etcd-compaction duty (coordinator/src/ha/etcd-compaction.ts) on a real 3-member cluster: a
// coordinator at --etcd-compact-interval-seconds 0 leaves etcd's history alone; one at 1 second
// takes the duty, compacts the cluster to the revision it read a tick before (an older revision
// then reads as compacted), and goes on writing and reading through its watch.
import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEtcd } from '../../coordinator/src/store/etcd-client.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { EtcdCluster } from '../harness/etcd.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("etcd's history compaction", () => {
  let cluster: EtcdCluster;
  let client: Etcd3;
  const open: CoordinatorFixture[] = [];
  const coordinator = async (prefix: string, interval: number): Promise<CoordinatorFixture> => {
    const f = await startCoordinator({
      flags: { store: `etcd:${cluster.endpoints.join(',')}`, etcdPrefix: prefix, etcdCompactIntervalSeconds: interval },
    });
    open.push(f);
    return f;
  };
  /** Whether reading the cluster at `revision` is refused as compacted. */
  const compactedAt = async (revision: number): Promise<boolean> => {
    try {
      await client.kv.range({ key: Buffer.from('/compaction-probe'), revision: String(revision) });
      return false;
    } catch (error) {
      if (/required revision has been compacted/.test(String(error))) return true;
      throw error;
    }
  };
  const users = async (f: CoordinatorFixture): Promise<string[]> =>
    (await f.admin.call('TenancyService', 'ListUsers', {})).users.map((u) => u.name).sort();

  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
    client = await connectEtcd(cluster.endpoints, null);
  }, 120_000);
  afterAll(async () => {
    for (const f of open) await f.close();
    client?.close();
    await cluster?.stop();
  });

  it('at interval 0: no duty, and every revision stays readable', async () => {
    const f = await coordinator(`/compaction-off-${process.pid}`, 0);
    await f.admin.call('TenancyService', 'CreateUser', { name: 'kept', role: 'ROLE_MEMBER' });
    await sleep(2500);
    expect(f.coordinator.heldDuties()).not.toContain('etcd-compaction');
    expect(await compactedAt(2)).toBe(false);
    await f.close();
    open.splice(open.indexOf(f), 1);
  }, 60_000);

  it("at 1 s: the duty's holder compacts to a tick-old revision, and the coordinator goes on", async () => {
    const f = await coordinator(`/compaction-on-${process.pid}`, 1);
    const before = Number((await client.kv.range({ key: Buffer.from('/compaction-probe') })).header.revision);
    await f.admin.call('TenancyService', 'CreateUser', { name: 'first', role: 'ROLE_MEMBER' });
    for (const until = Date.now() + 20_000; !(await compactedAt(before - 1)) && Date.now() < until;) await sleep(200);
    expect(await compactedAt(before - 1)).toBe(true);
    expect(f.coordinator.heldDuties()).toContain('etcd-compaction');
    // Its own writes are answered once its watch shows them: the watch lives on past the compaction.
    await f.admin.call('TenancyService', 'CreateUser', { name: 'second', role: 'ROLE_MEMBER' });
    expect(await users(f)).toEqual(expect.arrayContaining(['first', 'second']));
    // The history kept: the latest revision still reads.
    const latest = Number((await client.kv.range({ key: Buffer.from('/compaction-probe') })).header.revision);
    expect(await compactedAt(latest)).toBe(false);
  }, 60_000);
});
