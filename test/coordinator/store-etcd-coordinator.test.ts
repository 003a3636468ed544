// A coordinator started with --store etcd:... on a real 3-member etcd cluster serves the API:
// machines enlisted and allocated over real gRPC are stored in etcd, where another store opened
// on the same prefix (another coordinator's view) reads them.
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import { EtcdStore } from '../../coordinator/src/store/etcd-store.js';
import { MachineTable } from '../../coordinator/src/store/machine-table.js';
import { readSecretsKey, SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { EtcdCluster } from '../harness/etcd.js';

describe('a coordinator on etcd', () => {
  let cluster: EtcdCluster;
  let f: CoordinatorFixture;
  const prefix = `/coordinator-${process.pid}`;
  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
    f = await startCoordinator({ flags: { store: `etcd:${cluster.endpoints.join(',')}`, etcdPrefix: prefix } });
  }, 120_000);
  afterAll(async () => {
    await f?.close();
    await cluster?.stop();
  });

  it('enlists and allocates over gRPC with the fleet stored in etcd', async () => {
    for (const name of ['e-1', 'e-2', 'e-3']) await f.machine(name, { cores: 4, memoryMib: 8192 });
    const calls = Array.from({ length: 8 }, () => f.admin.call('MachineService', 'AllocateMachine', {}));
    const outcomes = await Promise.allSettled(calls);
    const given = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.machine!.hostname] : []));
    expect(given.sort()).toEqual(['e-1', 'e-2', 'e-3']);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as grpc.ServiceError).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    }

    // Another coordinator's view: it holds the same secrets key (a different one is refused, see below).
    const cipher = new SecretCipher(readSecretsKey(join(f.dataDir, 'secrets.key'))!);
    const other = await EtcdStore.open({ endpoints: cluster.endpoints, tls: null, prefix, cipher, logger: createLogger('silent') });
    try {
      const allocated = [...new MachineTable(other.tables).list({ status: 'ALLOCATED', afterId: '' })].map((m) => m.hostname);
      expect(allocated.sort()).toEqual(['e-1', 'e-2', 'e-3']);
    } finally {
      await other.close();
    }
  }, 120_000);

  it('refuses to open the prefix with another secrets key', async () => {
    const cipher = new SecretCipher(randomBytes(32));
    const open = EtcdStore.open({ endpoints: cluster.endpoints, tls: null, prefix, cipher, logger: createLogger('silent') });
    await expect(open).rejects.toThrow(`etcd prefix ${prefix}: its secrets are sealed under another secrets key`);
  });
});
