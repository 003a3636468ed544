// OvnNorthbound over an ssl: remote (mutual TLS, as OVN central is run in production) against a
// real NB ovsdb-server with a pssl remote; certificates from a throwaway CA (test/harness/pki.ts).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OvnCentral } from '../harness/ovn.js';
import { createCa, writeKeyAndCert, writePem, type CertificateAuthority } from '../harness/pki.js';
import { OvnNorthbound } from '../../coordinator/src/ovn/ovn-northbound.js';
import { NorthboundUnavailableError } from '../../coordinator/src/ovn/errors.js';

let dir: string;
let ca: CertificateAuthority;
let ovn: OvnCentral;
const fabrics: OvnNorthbound[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-ovn-tls-'));
  ca = createCa('Mooring test CA');
  const server = await writeKeyAndCert(dir, 'nb', ca.issue('ovn-nb'));
  ovn = await OvnCentral.start({
    nbSsl: { privateKey: server.keyFile, certificate: server.certFile, caCert: await writePem(dir, 'ca.pem', ca.cert) },
  });
});

afterAll(async () => {
  for (const f of fabrics) f.close();
  await ovn?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('writes through an ssl: remote with a client certificate the NB CA signed', async () => {
  const client = ca.issue('mooring-coordinator');
  const fabric = OvnNorthbound.create({
    remote: ovn.sslNbRemote,
    tls: { key: client.key, cert: client.cert, ca: ca.cert },
    owner: 'fleet-tls',
  });
  fabrics.push(fabric);
  const net = randomUUID();
  await fabric.ensureNetwork({ id: net, name: 'over-tls', cidr: '10.3.0.0/24' });
  expect(await ovn.nbFind('Logical_Switch', 'name', `name=mooring-net-${net}`)).toEqual([`mooring-net-${net}`]);
});

it('a client certificate from another CA never connects: calls fail with the remote named', async () => {
  const stranger = createCa('Some other CA').issue('intruder');
  const fabric = OvnNorthbound.create({
    remote: ovn.sslNbRemote,
    tls: { key: stranger.key, cert: stranger.cert, ca: ca.cert },
    owner: 'fleet-tls',
    unavailableWaitMs: 500,
  });
  fabrics.push(fabric);
  const err = await fabric.ensureNetwork({ id: randomUUID(), name: 'refused' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(NorthboundUnavailableError);
  expect((err as Error).message).toContain(ovn.sslNbRemote);
});
