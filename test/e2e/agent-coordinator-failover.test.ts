// An agent given several coordinators: two real coordinator processes sharing one etcd prefix
// (real etcd, real gRPC, real mTLS), a real agent process with both addresses. kill -9 of the
// coordinator it is on: it reconnects to the other within its reconnect backoff, and the
// survivor shows it ONLINE in a new session. A list whose first address is dead connects to the
// second. The first address is written as localhost, a DNS name the agent expands to its
// addresses and checks against the certificate's names.
//
// On etcd the CA and the admin token are shared through the prefix (pki/shared-authority.ts);
// each coordinator needs only the same secrets.key. As test setup the second coordinator's data dir
// is given the first one's secrets.key (and its ca.crt and admin.token, which it would write itself).
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess } from '../harness/agent-process.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { EtcdCluster } from '../harness/etcd.js';
import { freePort } from '../harness/free-port.js';
import { waitFor } from '../harness/ovs.js';

const FAST = ['--heartbeat-interval-ms', '1000', '--heartbeat-deadline-ms', '4000'];
const SHARED_FILES = ['ca.crt', 'secrets.key', 'admin.token'];

let dir: string;
let cluster: EtcdCluster;
let caFile: string;
let a: CoordinatorProcess;
let b: CoordinatorProcess;
const agents: AgentProcess[] = [];

function startOnEtcd(name: string): Promise<CoordinatorProcess> {
  return startCoordinatorProcess(path.join(dir, name), {
    logLevel: 'warn',
    extraArgs: ['--store', `etcd:${cluster.endpoints.join(',')}`, '--etcd-prefix', `/failover-${process.pid}`, ...FAST],
  });
}

function cliEnv(coord: CoordinatorProcess): Record<string, string> {
  return { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile };
}

async function ctl(coord: CoordinatorProcess, ...args: string[]): Promise<string> {
  const r = await moorctl(args, cliEnv(coord));
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function agentInfo(coord: CoordinatorProcess, name: string): Promise<{ state: string; epoch: number } | null> {
  return (JSON.parse(await ctl(coord, '--json', 'agent', 'show', name)) as { state: string; epoch: number } | null) ?? null;
}

async function token(coord: CoordinatorProcess, name: string): Promise<string> {
  return (JSON.parse(await ctl(coord, '--json', 'agent', 'token', 'create', '--name', name, '--ttl', '10m')) as { token: string }).token;
}

async function startAgent(name: string, coordinators: string[], enrollment?: string, coordinatorTimeout?: string): Promise<AgentProcess> {
  const agent = await AgentProcess.start({
    dataDir: path.join(dir, name),
    caFile,
    token: enrollment,
    name,
    heartbeat: '1s',
    reconnectMax: '2s',
    ...(coordinatorTimeout === undefined ? {} : { coordinatorTimeout }),
    extraArgs: coordinators.flatMap((c) => ['--coordinators', c]),
  });
  agents.push(agent);
  return agent;
}

interface LinkStatus {
  coordinator: { address: string | null; state: string; epoch: number | null; resumeAt: string | null };
}

async function linkStatus(agent: AgentProcess): Promise<LinkStatus['coordinator']> {
  return (await agent.status<LinkStatus>()).body.coordinator;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-failover-'));
  cluster = await EtcdCluster.start(1);
  a = await startOnEtcd('coord-a');
  await mkdir(path.join(dir, 'coord-b'), { recursive: true });
  for (const f of SHARED_FILES) await copyFile(path.join(dir, 'coord-a', f), path.join(dir, 'coord-b', f));
  b = await startOnEtcd('coord-b');
  caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, a.caPem);
}, 120_000);

afterAll(async () => {
  for (const agent of agents) await agent.kill('SIGKILL');
  await a?.kill('SIGKILL');
  await b?.kill('SIGKILL');
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('an agent with two coordinators on one etcd prefix', () => {
  it('moves to the other coordinator when its own is killed -9, and the survivor shows it ONLINE', async () => {
    // Both coordinators serve the same fleet: a token made on one enrolls through the other's store.
    expect(b.caPem).toBe(a.caPem);
    const agent = await startAgent('nic-fo', [`localhost:${a.port}`, `127.0.0.1:${b.port}`], await token(a, 'nic-fo'));
    await waitFor(async () => (await linkStatus(agent)).state === 'online', 30_000, 'nic-fo online');
    const before = await linkStatus(agent);
    // The first entry, a name, is dialed at its address and shown with both.
    expect(before.address).toBe(`localhost:${a.port} (127.0.0.1:${a.port})`);
    const first = await agentInfo(b, 'nic-fo');
    expect(first?.state).toBe('ONLINE');
    const metrics = await (await fetch(`${agent.statusUrl}/metrics`)).text();
    expect(metrics).toContain(`mooring_agent_coordinator_info{address="localhost:${a.port} (127.0.0.1:${a.port})"} 1`);

    await a.kill('SIGKILL');
    // reconnectMax 2s, plus the heartbeat silence that notices a peer gone without a FIN: well
    // inside this bound; the bound only keeps a broken test from hanging.
    await waitFor(
      async () => {
        const s = await linkStatus(agent);
        return s.state === 'online' && s.address === `127.0.0.1:${b.port}`;
      },
      30_000,
      'nic-fo online on coordinator b',
    );
    // A new session, on b: the epoch moved past a's, and b (the survivor) shows it ONLINE at it.
    const after = await linkStatus(agent);
    expect(after.epoch).toBeGreaterThan(before.epoch!);
    await waitFor(async () => (await agentInfo(b, 'nic-fo'))?.epoch === after.epoch, 10_000, 'b shows the new epoch');
    expect(await agentInfo(b, 'nic-fo')).toMatchObject({ state: 'ONLINE', epoch: after.epoch });
    expect(agent.lines.some((l) => l.msg === 'coordinator session ended' && String(l.coordinator).includes(String(a.port)))).toBe(true);
  }, 120_000);

  it('restarts a killed coordinator on its etcd data dir (no coordinator.mdb there)', async () => {
    // Before: the LMDB legacy-secret pass inspected the data dir as an LMDB one and refused
    // ("coordinator.mdb: missing, while the data dir holds ca.key, ...").
    await a.kill('SIGKILL');
    a = await startOnEtcd('coord-a');
    // It serves the shared fleet: the agent's latest session, made on b, is there.
    const onB = await agentInfo(b, 'nic-fo');
    expect(onB?.epoch).toBeGreaterThanOrEqual(2);
    expect((await agentInfo(a, 'nic-fo'))?.epoch).toBe(onB?.epoch);
  }, 60_000);

  it('after its own restart, goes back to the coordinator it was last on, not the first listed', async () => {
    await agents[0]!.kill('SIGKILL'); // nic-fo
    // Made last welcomed by b for certain: a session on b alone, killed once the agent shows the
    // entry stored (under load the agent above may have left b for the restarted a since).
    const onB = await startAgent('nic-fo', [`127.0.0.1:${b.port}`]);
    await waitFor(async () => (await linkStatus(onB)).resumeAt === `127.0.0.1:${b.port}`, 30_000, 'nic-fo stored b as its last');
    await onB.kill('SIGKILL');
    // Both coordinators are up now (a restarted above); the agent was last welcomed by b.
    const agent = await startAgent('nic-fo', [`localhost:${a.port}`, `127.0.0.1:${b.port}`]);
    await waitFor(async () => (await linkStatus(agent)).state === 'online', 30_000, 'nic-fo online again');
    const sessions = agent.lines.filter((l) => /^coordinator session|^connecting to the coordinator|no answer/.test(String(l.msg)));
    expect((await linkStatus(agent)).address, JSON.stringify(sessions)).toBe(`127.0.0.1:${b.port}`);
    expect(agent.lines.some((l) => l.msg === 'connecting to the coordinator' && String(l.coordinator).includes(String(a.port)))).toBe(
      false,
    );
  }, 90_000);

  it('skips a dead first address and connects to the second', async () => {
    const dead = await freePort(); // nothing listens there: connection refused
    const agent = await startAgent('nic-dead-first', [`127.0.0.1:${dead}`, `127.0.0.1:${b.port}`], await token(b, 'nic-dead-first'));
    await waitFor(async () => (await linkStatus(agent)).state === 'online', 30_000, 'nic-dead-first online');
    expect((await linkStatus(agent)).address).toBe(`127.0.0.1:${b.port}`);
    expect(await agentInfo(b, 'nic-dead-first')).toMatchObject({ state: 'ONLINE' });
  }, 60_000);

  it('leaves a first address that accepts connections and never answers (a stopped coordinator) for the second', async () => {
    // The kernel of a SIGSTOPped coordinator still completes TCP handshakes; then nothing comes back.
    const held: Socket[] = [];
    const silent: Server = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    try {
      // Enrolled and last welcomed on b, which the new list leaves out: the agent starts at its first entry.
      const first = await startAgent('nic-silent-first', [`127.0.0.1:${b.port}`], await token(b, 'nic-silent-first'));
      await waitFor(async () => (await linkStatus(first)).state === 'online', 30_000, 'nic-silent-first online on b');
      await first.kill('SIGKILL');
      // A welcome bound of 5 s, not the default 15 s: the silent address is left once it passes.
      const agent = await startAgent('nic-silent-first', [`127.0.0.1:${silentPort}`, `127.0.0.1:${a.port}`], undefined, '5s');
      await waitFor(async () => (await linkStatus(agent)).state === 'online', 45_000, 'nic-silent-first online on a');
      expect((await linkStatus(agent)).address).toBe(`127.0.0.1:${a.port}`);
      expect(held.length).toBeGreaterThan(0);
      expect(
        agent.lines.some((l) => typeof l.reason === 'string' && l.reason === `no welcome from 127.0.0.1:${silentPort} within 5000 ms`),
      ).toBe(true);
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
    }
  }, 90_000);
});
