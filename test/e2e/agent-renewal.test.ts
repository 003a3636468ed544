// Certificate renewal without downtime: with short-lived agent certificates the agent renews two
// thirds into the lifetime over mTLS, keeps its session (same epoch, never OFFLINE), stores the
// new key 0600, and its next connection presents the new certificate.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AgentProcess } from '../harness/agent-process.js';
import { AgentInfos } from '../harness/agent-infos.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { OvsInstance, waitFor } from '../harness/ovs.js';

let dir: string;
let ovs: OvsInstance;
let coord: CoordinatorProcess;
let agent: AgentProcess;
let env: Record<string, string>;

const info = async (): Promise<{ state: string; epoch: number; certNotAfter: string }> =>
  JSON.parse((await moorctl(['--json', 'agent', 'show', 'nic-r'], env)).stdout) as never;
// The waits read the agent over one connection (a look through moorctl is a Node process).
const agents = new AgentInfos(() => coord);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-renew-'));
  ovs = await OvsInstance.start({ vswitchd: false });
  // 0.00045 days = 38.9 s; with the CA's 60 s back-dating the agent renews about 6 s after enrolling
  // (two thirds of 98.9 s), and again 6 s after that: the checks after a renewal take well under that.
  coord = await startCoordinatorProcess(path.join(dir, 'coord'), {
    logLevel: 'warn',
    extraArgs: ['--agent-cert-validity-days', '0.00045'],
  });
  const caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, coord.caPem);
  env = { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile };
  const token = (JSON.parse((await moorctl(['--json', 'agent', 'token', 'create', '--name', 'nic-r'], env)).stdout) as { token: string })
    .token;
  agent = await AgentProcess.start({
    dataDir: path.join(dir, 'agent'),
    ovsdbRemote: ovs.unixRemote,
    coordinator: coord.address,
    caFile,
    token,
    name: 'nic-r',
    reconnectMax: '1s',
  });
});

afterAll(async () => {
  agents.close();
  await agent?.kill('SIGKILL');
  await coord?.kill('SIGKILL');
  await ovs?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('renews before expiry while the session stays up, and reconnects with the new certificate', async () => {
  await waitFor(async () => (await agents.of('nic-r'))?.state === 'ONLINE', 30_000, 'ONLINE');
  const certFile = path.join(dir, 'agent', 'agent.crt');
  const first = new X509Certificate(await readFile(certFile, 'utf8'));
  await agent.waitFor((l) => l.msg === 'renewed the agent certificate', 30_000, 'the renewal');
  const second = new X509Certificate(await readFile(certFile, 'utf8'));
  expect(second.serialNumber).not.toBe(first.serialNumber);
  expect(second.subject).toContain('CN=nic-r');
  expect(Date.parse(second.validTo)).toBeGreaterThan(Date.parse(first.validTo));
  expect(Date.parse(first.validTo)).toBeGreaterThan(Date.now()); // renewed before the old one expired
  expect((await stat(path.join(dir, 'agent', 'agent.key'))).mode & 0o777).toBe(0o600);
  // No downtime: the session that was open before renewal is still the current one.
  expect(await info()).toMatchObject({ state: 'ONLINE', epoch: 1, certNotAfter: new Date(second.validTo).toISOString() });
  const events = (await moorctl(['events', 'list'], env)).stdout;
  expect(events).not.toMatch(/agent\.offline/);
  // A fresh connection uses the new certificate (the old one would soon be refused as expired).
  await agent.kill('SIGKILL');
  agent = await AgentProcess.start({
    dataDir: path.join(dir, 'agent'),
    ovsdbRemote: ovs.unixRemote,
    coordinator: coord.address,
    caFile: path.join(dir, 'ca.crt'),
    name: 'nic-r',
    reconnectMax: '1s',
  });
  await waitFor(async () => (await agents.of('nic-r'))?.epoch === 2, 30_000, 'epoch 2');
  expect(await info()).toMatchObject({ state: 'ONLINE', epoch: 2 });
});
