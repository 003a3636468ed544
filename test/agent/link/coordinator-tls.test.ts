// The agent's TLS to the coordinator by IP address and by name: a real coordinator process (its
// own CA and server certificate), real agent processes. With an IP address the agent sends no TLS
// ServerName (RFC 6066; Node's DEP0123 warning otherwise) and still verifies that the address is
// one of the certificate's IP SANs; with a name it sends the name. The SNI each client sends is
// read by a plain TLS server in this process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TlsChannelCredentials } from '../../../proto/shared/tls-channel-credentials.js';
import { AgentProcess } from '../../harness/agent-process.js';
import { moorctl } from '../../harness/coordinator-cli.js';
import { startCoordinatorForCli, startCoordinatorProcess, type CoordinatorProcess } from '../../harness/coordinator-process.js';
import { waitFor } from '../../harness/ovs.js';
import { createCa } from '../../harness/pki.js';

let dir: string;
let coord: CoordinatorProcess;
let caFile: string;
let env: Record<string, string>;
const agents: AgentProcess[] = [];

async function token(name: string): Promise<string> {
  const r = await moorctl(['--json', 'agent', 'token', 'create', '--name', name, '--ttl', '10m'], env);
  if (r.code !== 0) throw new Error(`token create failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { token: string }).token;
}

async function startAgent(name: string, coordinator: string, ca = caFile): Promise<AgentProcess> {
  const agent = await AgentProcess.start({
    dataDir: path.join(dir, name),
    // No OVS here: only the coordinator link is under test.
    ovsdbRemote: `unix:${path.join(dir, 'no-ovs.sock')}`,
    coordinator,
    caFile: ca,
    token: await token(name),
    name,
    reconnectMax: '1s',
  });
  agents.push(agent);
  return agent;
}

type Link = { coordinator: { state: string; reason: string | null } };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-agent-tls-'));
  ({ coord, caFile, env } = await startCoordinatorForCli(dir, { logLevel: 'warn' }));
});

afterAll(async () => {
  for (const a of agents) await a.kill('SIGKILL');
  await coord?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('agent TLS to the coordinator', () => {
  it('enrolls and goes online at an IP address without the ServerName deprecation warning', async () => {
    const agent = await startAgent('nic-ip', `127.0.0.1:${coord.port}`);
    await waitFor(async () => (await agent.status<Link>()).body.coordinator.state === 'online', 60_000, 'nic-ip online');
    expect(agent.stderr).not.toMatch(/DeprecationWarning|DEP0123|ServerName/);
    expect(agent.stderr).toBe('');
  });

  it('goes online by name too', async () => {
    const agent = await startAgent('nic-name', `localhost:${coord.port}`);
    await waitFor(async () => (await agent.status<Link>()).body.coordinator.state === 'online', 60_000, 'nic-name online');
    expect(agent.stderr).toBe('');
  });

  it('still refuses a certificate whose IP SANs do not hold the address dialled', async () => {
    // A coordinator whose certificate names only "localhost": 127.0.0.1 is not among its SANs.
    const other = await startCoordinatorProcess(path.join(dir, 'coord-named'), {
      logLevel: 'warn',
      extraArgs: ['--server-name', 'localhost'],
    });
    try {
      const otherCa = path.join(dir, 'ca-named.crt');
      await writeFile(otherCa, other.caPem);
      const agent = await AgentProcess.start({
        dataDir: path.join(dir, 'nic-wrong-san'),
        ovsdbRemote: `unix:${path.join(dir, 'no-ovs.sock')}`,
        coordinator: `127.0.0.1:${other.port}`,
        caFile: otherCa,
        token: 'mre_not-needed-the-handshake-fails-first',
        name: 'nic-wrong-san',
        reconnectMax: '1s',
      });
      agents.push(agent);
      await waitFor(async () => /127\.0\.0\.1/.test((await agent.status<Link>()).body.coordinator.reason ?? ''), 60_000, 'a refusal');
      const link = (await agent.status<Link>()).body.coordinator;
      expect(link.state).not.toBe('online');
      expect(link.reason).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
    } finally {
      await other.kill('SIGKILL');
    }
  });
});

describe('TlsChannelCredentials', () => {
  const ca = createCa();
  const server = ca.issue('localhost');
  let tlsServer: tls.Server;
  let port: number;
  const seen: (string | false)[] = [];

  beforeAll(async () => {
    tlsServer = tls.createServer({ key: server.key, cert: server.cert, ALPNProtocols: ['h2'] }, (socket) => {
      seen.push((socket as tls.TLSSocket & { servername: string | false }).servername);
      socket.end();
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    port = (tlsServer.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => tlsServer.close(() => resolve())));

  async function handshake(host: string): Promise<string | false> {
    seen.length = 0;
    const creds = new TlsChannelCredentials({ caPem: ca.cert });
    const connector = creds._createSecureConnector({ scheme: 'dns', path: `${host}:${port}` }, {});
    const result = await connector.connect(net.connect(port, '127.0.0.1'));
    result.socket.end();
    await waitFor(async () => Promise.resolve(seen.length > 0), 5_000, 'the server to see the handshake');
    return seen.shift()!;
  }

  it('sends the name as ServerName and no ServerName for an IP address', async () => {
    expect(await handshake('localhost')).toBe('localhost');
    expect(await handshake('127.0.0.1')).toBe(false);
  });

  it('checks an IP address against the certificate: one not among its IP SANs is refused', async () => {
    // The certificate names 127.0.0.1 and localhost; the client is told it dialled 127.0.0.2.
    const creds = new TlsChannelCredentials({ caPem: ca.cert });
    const connector = creds._createSecureConnector({ scheme: 'dns', path: `127.0.0.2:${port}` }, {});
    await expect(connector.connect(net.connect(port, '127.0.0.1'))).rejects.toThrow(/IP: 127\.0\.0\.2 is not in the cert's list/);
  });

  it('dials an address resolved from a name with that name: sent as ServerName and checked', async () => {
    seen.length = 0;
    const named = new TlsChannelCredentials({ caPem: ca.cert, serverName: 'localhost' });
    const ok = await named._createSecureConnector({ scheme: 'dns', path: `127.0.0.1:${port}` }, {}).connect(net.connect(port, '127.0.0.1'));
    ok.socket.end();
    await waitFor(async () => Promise.resolve(seen.length > 0), 5_000, 'the server to see the handshake');
    expect(seen.shift()).toBe('localhost');
    // The address is among the certificate's SANs, but the name it came from is not: refused.
    const other = new TlsChannelCredentials({ caPem: ca.cert, serverName: 'coord.example' });
    await expect(
      other._createSecureConnector({ scheme: 'dns', path: `127.0.0.1:${port}` }, {}).connect(net.connect(port, '127.0.0.1')),
    ).rejects.toThrow(/Host: coord\.example\. is not in the cert's altnames/);
  });

  it('is accepted by grpc-js as channel credentials (a secure channel)', () => {
    const creds = new TlsChannelCredentials({ caPem: ca.cert });
    expect(creds._isSecure()).toBe(true);
    const client = new grpc.Client(`127.0.0.1:${port}`, creds);
    client.close();
  });
});
