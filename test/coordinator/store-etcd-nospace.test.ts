// etcd out of space (a real member started with a 4 MiB --quota-backend-bytes): once its database
// reaches the quota and it raises alarm NOSPACE, a write fails at once (not resent for the 10 s
// given to an unanswered one) with UNAVAILABLE naming the alarm and what to do, none of it stored,
// and the store turns 'failing'; reads go on. Once the operator compacts, defragments and disarms
// the alarm, as the error says, the same store writes again, without a restart.
import { randomBytes } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import { EtcdNoSpaceError } from '../../coordinator/src/store/etcd-errors.js';
import { EtcdStore } from '../../coordinator/src/store/etcd-store.js';
import { SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import { EtcdCluster } from '../harness/etcd.js';

const logger = createLogger('silent');
const QUOTA = 4 * 1024 * 1024;
const BLOB = 256 * 1024;

/** Txns the member refused with RESOURCE_EXHAUSTED, from its gRPC server metrics. */
async function etcdTxnRefusals(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith('grpc_server_handled_total{') && l.includes('grpc_code="ResourceExhausted"') && l.includes('grpc_method="Txn"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('an etcd store whose cluster runs out of space', () => {
  let cluster: EtcdCluster;
  beforeAll(async () => {
    cluster = await EtcdCluster.start(1, { quotaBackendBytes: QUOTA });
  }, 60_000);
  afterAll(async () => cluster?.stop());

  it('refuses writes at once with the alarm named, keeps reading, and writes again once the operator clears it', async () => {
    const options = { endpoints: cluster.endpoints, tls: null, prefix: '/nospace', cipher: new SecretCipher(randomBytes(32)), logger };
    const store = await EtcdStore.open(options);
    const put = (i: number): Promise<void> => store.write(() => store.tables.meta.putSync('blob', { i, fill: randomBytes(BLOB) }));
    let stored = -1;
    let refusal: unknown = null;
    // Each put keeps the one before in etcd's history, so the database grows by about a blob a write (bbolt reuses
    // some freed pages, so the write that meets the quota varies from run to run).
    for (let i = 0; i < (8 * QUOTA) / BLOB && refusal === null; i++) {
      try {
        await put(i);
        stored = i;
      } catch (error) {
        refusal = error;
      }
    }
    expect(stored).toBeGreaterThan(0);
    expect(refusal).toBeInstanceOf(EtcdNoSpaceError);
    const message = (refusal as Error).message;
    expect(message).toContain('etcd store unavailable: etcd is out of space');
    expect(message).toContain('alarm NOSPACE');
    expect(message).toContain('etcdctl alarm disarm');
    expect(message).toMatch(/the change was not made$/);
    expect(message).not.toContain('of retries');
    expect(store.diskState.type).toBe('failing');
    // Reads go on; the refused write left nothing.
    expect((store.tables.meta.get('blob') as { i: number }).i).toBe(stored);
    // Writes at the callers' rate are refused here, not sent: etcd saw at most one more a second.
    const refusedByEtcd = (): Promise<number> => etcdTxnRefusals(cluster.metricsUrls[0]!);
    const before = await refusedByEtcd();
    const started = performance.now();
    for (let i = 0; i < 50; i++) await expect(put(1000 + i)).rejects.toBeInstanceOf(EtcdNoSpaceError);
    const seconds = (performance.now() - started) / 1000;
    expect((await refusedByEtcd()) - before).toBeLessThanOrEqual(Math.ceil(seconds) + 1);

    // What the error tells the operator to do: compact, defragment, disarm.
    const client = new Etcd3({ hosts: [...cluster.endpoints] });
    try {
      await store.compactHistory(await store.latestRevision());
      await client.maintenance.defragment();
      const { alarms } = await client.maintenance.alarm({ action: 'Get' });
      expect(alarms.map((a) => a.alarm)).toEqual(['Nospace']);
      for (const alarm of alarms) await client.maintenance.alarm({ action: 'Deactivate', memberID: alarm.memberID, alarm: alarm.alarm });
    } finally {
      client.close();
    }
    // Within a second (while etcd is out of space the store lets one write through a second), the same store writes again.
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await put(2000);
        break;
      } catch (error) {
        expect(error).toBeInstanceOf(EtcdNoSpaceError);
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(store.diskState.type).toBe('writable');
    await store.close();
    const reopened = await EtcdStore.open(options);
    expect((reopened.tables.meta.get('blob') as { i: number }).i).toBe(2000);
    await reopened.close();
  }, 60_000);
});
