// A coordinator started while etcd does not answer (every member down: the case of a read sent to
// the one member that is down, made certain) keeps opening its store with new connections for a
// bounded time, and serves once etcd is back; real etcd, a real coordinator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLogger } from '../harness/redfish-target.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { EtcdCluster } from '../harness/etcd.js';
import { waitFor } from '../harness/ovs.js';

describe('a coordinator starting while etcd does not answer', () => {
  let cluster: EtcdCluster;
  let fixture: CoordinatorFixture | undefined;
  beforeAll(async () => {
    cluster = await EtcdCluster.start(1);
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
    await cluster?.stop();
  });

  it('opens the store once etcd is back, having said it tries again', async () => {
    await cluster.kill(0);
    const { logger, lines } = capturedLogger();
    const starting = startCoordinator({
      logger,
      flags: { store: `etcd:${cluster.endpoints.join(',')}`, etcdPrefix: `/open-retry-${process.pid}` },
    });
    const outcome = starting.then(
      (f) => (fixture = f),
      (error: unknown) => error,
    );
    // Down until an attempt has failed (a read's deadline) and the start said it tries again, well
    // inside the start's bound.
    const retrying = (): boolean => lines.some((line) => line.includes('opening the etcd store: etcd did not answer; trying again'));
    await waitFor(() => Promise.resolve(retrying()), 15_000, 'the start to say it tries again');
    await cluster.restart(0);
    const started = await outcome;
    expect(started).not.toBeInstanceOf(Error);
    expect(retrying()).toBe(true);
    await fixture!.machine('after-retry');
    expect((await fixture!.admin.call('MachineService', 'AllocateMachine', {})).machine!.hostname).toBe('after-retry');
  }, 90_000);
});
