// /readyz of a real coordinator started on a real 3-member etcd cluster reports whether its store
// answers: ready with all members up and with one down; 503 naming the unreachable store once two
// of three are down (no quorum); ready again when they return.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { EtcdCluster } from '../harness/etcd.js';

interface Readiness {
  ready: boolean;
  reasons: string[];
}

describe('/readyz of a coordinator on etcd', () => {
  let cluster: EtcdCluster;
  let f: CoordinatorFixture;
  let url: string;
  const readyz = async (): Promise<{ code: number; body: Readiness }> => {
    const response = await fetch(url);
    return { code: response.status, body: (await response.json()) as Readiness };
  };
  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
    f = await startCoordinator({ flags: { store: `etcd:${cluster.endpoints.join(',')}`, etcdPrefix: `/readyz-${process.pid}` } });
    url = f.coordinator.metricsUrl!.replace(/\/metrics$/, '/readyz');
  }, 120_000);
  afterAll(async () => {
    await f?.close();
    await cluster?.stop();
  });

  it('is ready while the quorum answers, 503 naming the unreachable store without it, and ready again after', async () => {
    expect(await readyz()).toEqual({ code: 200, body: { ready: true, reasons: [] } });
    const leader = await cluster.leader();
    const follower = [0, 1, 2].find((i) => i !== leader)!;
    await cluster.kill(follower);
    expect(await readyz()).toEqual({ code: 200, body: { ready: true, reasons: [] } });

    await cluster.kill(leader);
    const lost = await readyz();
    expect(lost.code).toBe(503);
    expect(lost.body.ready).toBe(false);
    expect(lost.body.reasons).toHaveLength(1);
    expect(lost.body.reasons[0]).toMatch(/^etcd store unreachable: .*(quorum|leader|deadline|reachable)/);

    await cluster.restart(leader);
    await cluster.restart(follower);
    for (let attempt = 0; ; attempt++) {
      const back = await readyz();
      if (back.code === 200) {
        expect(back.body).toEqual({ ready: true, reasons: [] });
        break;
      }
      if (attempt > 60) throw new Error(`not ready after the quorum returned: ${JSON.stringify(back.body)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 180_000);
});
