// Mutual TLS against a real ovsdb-server with a pssl remote. Certificates come from a throwaway CA
// made with node-forge (test/harness/pki.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { createCa, writeKeyAndCert, writePem, type CertificateAuthority, type KeyAndCert } from '../../harness/pki.js';
import { OvsdbClient, type OvsdbClientOptions } from '../../../proto/ovsdb/client.js';
import { ConnectionClosedError } from '../../../proto/ovsdb/errors.js';
import { OVS_DB } from '../../../proto/ovsdb/rows.js';

// ptcp:0:127.0.0.1 and pssl:0:ADDR both log "ADDR: listening on port N"; a different loopback
// address for the pssl remote tells the two lines apart.
const SSL_ADDRESS = '127.0.0.2';

let dir: string;
let ovs: OvsInstance;
let ca: CertificateAuthority;
let otherCa: CertificateAuthority;
let agentCert: KeyAndCert;
let sslRemote: string;
const clients: OvsdbClient[] = [];

async function connect(options: Partial<OvsdbClientOptions>): Promise<OvsdbClient> {
  const c = await OvsdbClient.connect({ remote: sslRemote, reconnect: false, connectTimeoutMs: 5000, requestTimeoutMs: 5000, ...options });
  clients.push(c);
  return c;
}

async function connectError(options: Partial<OvsdbClientOptions>): Promise<Error> {
  const result = await connect(options).then(
    () => new Error('connected, but should not have'),
    (e: unknown) => e as Error,
  );
  return result;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-tls-'));
  ca = createCa('Mooring test CA');
  otherCa = createCa('Some other CA');
  agentCert = ca.issue('mooring-agent');
  const server = await writeKeyAndCert(dir, 'ovsdb-server', ca.issue('ovsdb-server'));
  const caFile = await writePem(dir, 'cacert.pem', ca.cert);
  ovs = await OvsInstance.start({
    vswitchd: false,
    extraServerArgs: [
      `--remote=pssl:0:${SSL_ADDRESS}`,
      `--private-key=${server.keyFile}`,
      `--certificate=${server.certFile}`,
      `--ca-cert=${caFile}`,
    ],
  });
  const ssl = (await ovs.listeningPorts()).find((p) => p.address === `0:${SSL_ADDRESS}`);
  if (!ssl) throw new Error(`ovsdb-server logged no pssl port: ${JSON.stringify(await ovs.listeningPorts())}`);
  sslRemote = `ssl:${SSL_ADDRESS}:${ssl.port}`;
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await ovs?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('OVSDB over TLS with a client certificate', () => {
  it('finds the pssl port apart from the ptcp one, which still works', async () => {
    expect(sslRemote).not.toBe(`ssl:${SSL_ADDRESS}:${ovs.tcpPort}`);
    const tcp = await connect({ remote: ovs.tcpRemote });
    expect(await tcp.listDbs()).toContain(OVS_DB);
  });

  it('lists databases and transacts with the key, certificate and CA', async () => {
    const c = await connect({ tls: { key: agentCert.key, cert: agentCert.cert, ca: ca.cert } });
    expect(c.remoteText).toBe(sslRemote);
    expect(await c.listDbs()).toEqual(expect.arrayContaining([OVS_DB, '_Server']));
    const r = await c.transact(OVS_DB, [{ op: 'select', table: 'Open_vSwitch', where: [], columns: ['next_cfg'] }]);
    expect(r).toEqual([{ rows: [{ next_cfg: 0 }] }]);
    expect(await c.echo(['over tls'])).toEqual(['over tls']);
  });

  it('is refused by the server with a client certificate from another CA', async () => {
    const rogue = otherCa.issue('intruder');
    const err = await connectError({ tls: { key: rogue.key, cert: rogue.cert, ca: ca.cert } });
    // TLS 1.3: the client's handshake completes before the server checks the certificate, so the
    // server's alert ends the session while the first request (set_db_change_aware) is pending.
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.message).toMatch(/"set_db_change_aware" was answered: .*tlsv1 alert unknown ca/);
  });

  it('is refused by the server without a client certificate', async () => {
    const err = await connectError({ tls: { key: '', cert: '', ca: ca.cert } });
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.message).toMatch(/tlsv13 alert certificate required/);
  });

  it('refuses a server whose certificate is not signed by the trusted CA', async () => {
    const err = await connectError({ tls: { key: agentCert.key, cert: agentCert.cert, ca: otherCa.cert } });
    expect(err.message).toContain(`OVSDB connect to ${sslRemote} failed`);
    expect(err.message).toMatch(/self-signed certificate in certificate chain/);
  });

  it('checks the server name when one is given, and only then', async () => {
    const material = { key: agentCert.key, cert: agentCert.cert, ca: ca.cert };
    const named = await connect({ tls: { ...material, servername: 'localhost' } });
    expect(await named.listDbs()).toContain(OVS_DB);
    const err = await connectError({ tls: { ...material, servername: 'not-the-server.example' } });
    expect(err.message).toContain(`OVSDB connect to ${sslRemote} failed`);
    expect(err.message).toMatch(/does not match certificate's altnames/);
  });

  it('refuses an ssl remote configured without any TLS material', async () => {
    const err = await connectError({});
    expect(err.message).toMatch(/needs a client key, certificate and CA/);
  });
});
