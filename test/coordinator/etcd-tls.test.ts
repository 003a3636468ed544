// The etcd store over TLS: a real etcd member serving https with client-certificate auth
// (--client-cert-auth), certificates made here. A coordinator given --etcd-ca/--etcd-cert/--etcd-key
// serves its fleet from it; one given another CA, or no client certificate, is refused with a
// clear error naming the problem.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { EtcdCluster } from '../harness/etcd.js';
import { createCa, writeKeyAndCert, writePem } from '../harness/pki.js';

describe('the etcd store over TLS with client certificates', () => {
  let cluster: EtcdCluster;
  let dir: string;
  let caFile: string;
  let otherCaFile: string;
  let client: { keyFile: string; certFile: string };
  const prefix = `/tls-${process.pid}`;
  const running: CoordinatorFixture[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mooring-etcd-tls-'));
    const ca = createCa('etcd test CA');
    caFile = await writePem(dir, 'etcd-ca.pem', ca.cert);
    otherCaFile = await writePem(dir, 'other-ca.pem', createCa('some other CA').cert);
    const server = await writeKeyAndCert(dir, 'etcd-server', ca.issue('etcd'));
    client = await writeKeyAndCert(dir, 'coordinator', ca.issue('mooring-coordinator'));
    cluster = await EtcdCluster.start(1, { tls: { caFile, ...server } });
  }, 120_000);
  afterAll(async () => {
    for (const f of running) await f.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (flags: Record<string, string>): Promise<CoordinatorFixture> => {
    const f = await startCoordinator({ flags: { store: `etcd:${cluster.endpoints.join(',')}`, etcdPrefix: prefix, ...flags } });
    running.push(f);
    return f;
  };

  it('serves the fleet from etcd over https with a client certificate', async () => {
    expect(cluster.endpoints[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const f = await start({ etcdCa: caFile, etcdCert: client.certFile, etcdKey: client.keyFile });
    await f.machine('tls-1');
    const allocated = await f.admin.call('MachineService', 'AllocateMachine', {});
    expect(allocated.machine!.hostname).toBe('tls-1');
  }, 120_000);

  it('refuses another CA than the one that signed etcd, saying so', async () => {
    await expect(start({ etcdCa: otherCaFile, etcdCert: client.certFile, etcdKey: client.keyFile })).rejects.toThrow(
      new RegExp(`etcd at ${cluster.endpoints[0]}: TLS: .*certificate.*--etcd-ca ${otherCaFile}`),
    );
  }, 120_000);

  it('is refused by etcd without a client certificate, saying so', async () => {
    await expect(start({ etcdCa: caFile })).rejects.toThrow(new RegExp(`etcd at ${cluster.endpoints[0]}: .*(certificate|handshake)`));
  }, 120_000);
});
