// The agent-coordinator link end to end: real coordinator and agent processes, real OVS, real
// mTLS. Enrollment, a bind through moorctl, kill -9 of the agent and of the coordinator,
// ovsdb-server restart, the status endpoint and its websocket, liveness and revocation.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentProcess } from '../harness/agent-process.js';
import { AgentInfos } from '../harness/agent-infos.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { startLinkedAgent } from '../harness/linked-agent.js';
import { OvsInstance, waitFor } from '../harness/ovs.js';

let dir: string;
let ovs: OvsInstance;
let coord: CoordinatorProcess;
let agent: AgentProcess;
let env: Record<string, string>;
let caFile: string;
// Short enough to test liveness quickly, long enough that a loaded CI machine does not miss beats.
const FAST = ['--heartbeat-interval-ms', '1000', '--heartbeat-deadline-ms', '4000'];

async function ctl(...args: string[]): Promise<string> {
  const r = await moorctl(args, env);
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function agentInfo(name: string): Promise<{
  state: string;
  epoch: number;
  revoked: boolean;
  report: { ports: { spec: { name: string } }[] } | null;
  inventory: { coresLogical: number; bridges: string[] } | null;
}> {
  return JSON.parse(await ctl('--json', 'agent', 'show', name)) as never;
}

async function startCoordinator(port = 0): Promise<void> {
  coord = await startCoordinatorProcess(path.join(dir, 'coord'), { port, extraArgs: FAST, logLevel: 'warn' });
  env = { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile };
}

async function startAgent(token?: string, dataDir = path.join(dir, 'agent')): Promise<AgentProcess> {
  return startLinkedAgent({ dataDir, caFile, name: 'nic1', coordinators: [coord.address], ovs, ...(token ? { token } : {}) });
}

// The waits read the agent over one connection (a look through moorctl is a Node process).
const agents = new AgentInfos(() => coord);

const onlineAt = (epoch: number) => async (): Promise<boolean> => {
  const a = await agents.of('nic1').catch(() => null);
  // At least this epoch: a loaded machine may add a reconnect, which is a newer session too.
  return a?.state === 'ONLINE' && a.epoch >= epoch;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-link-'));
  caFile = path.join(dir, 'ca.crt');
  ovs = await OvsInstance.start();
  coord = await startCoordinatorProcess(path.join(dir, 'coord'), { extraArgs: FAST, logLevel: 'warn' });
  await writeFile(caFile, coord.caPem);
  env = { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile };
});

afterAll(async () => {
  agents.close();
  await agent?.kill('SIGKILL');
  await coord?.kill('SIGKILL');
  await ovs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('agent link', () => {
  it('enrolls with a single-use token, stores its key 0600, and comes ONLINE at epoch 1', async () => {
    const token = JSON.parse(await ctl('--json', 'agent', 'token', 'create', '--name', 'nic1', '--ttl', '10m')) as { token: string };
    expect(token.token).toMatch(/^mre_/);
    agent = await startAgent(token.token);
    await waitFor(onlineAt(1), 30_000, 'nic1 ONLINE at epoch 1');
    expect((await stat(path.join(dir, 'agent', 'agent.key'))).mode & 0o777).toBe(0o600);
    const info = await agentInfo('nic1');
    expect(info.inventory?.coresLogical).toBeGreaterThan(0);
    const list = await ctl('agent', 'list');
    expect(list).toMatch(/^NAME\s+ROLE\s+STATE\s+EPOCH/);
    expect(list).toMatch(/nic1\s+smartnic\s+ONLINE\s+1\s/);
    // The token was single use.
    const again = await startAgent(token.token, path.join(dir, 'agent-reuse'));
    await again.waitFor((l) => l.msg === 'enrollment refused', 30_000);
    expect(JSON.stringify(again.lines)).toMatch(/enrollment token was already used/);
    await again.kill('SIGKILL');
  });

  it('binds a port through moorctl; the agent answers once it is active and ovs-vsctl sees the external_ids', async () => {
    const out = await ctl(
      'agent',
      'bind-port',
      'nic1',
      '--port',
      'pf0vf1',
      '--iface-id',
      'port-1',
      '--mac',
      '52:54:00:00:01:01',
      '--vm-uuid',
      'machine-1',
    );
    expect(out).toMatch(/pf0vf1\s+active\s+\d+\s+port-1\s+52:54:00:00:01:01\s+machine-1/);
    const ids = await ovs.vsctl('get', 'Interface', 'pf0vf1', 'external_ids');
    expect(ids).toContain('iface-id=port-1');
    expect(ids).toContain('vm-uuid=machine-1');
    const s = await agent.status<{
      agentId: string;
      coordinator: { state: string; epoch: number };
      ports: { name: string; state: string }[];
    }>();
    expect(s.body).toMatchObject({ agentId: 'nic1', coordinator: { state: 'online', epoch: 1 } });
    expect(s.body.ports).toEqual([expect.objectContaining({ name: 'pf0vf1', state: 'active' })]);
    expect((await fetch(`${agent.statusUrl}/readyz`)).status).toBe(200);
    await waitFor(async () => (await agents.of('nic1'))?.report?.ports.length === 1, 30_000, 'the report to reach the coordinator');
    expect((await agentInfo('nic1')).report?.ports).toHaveLength(1);
    const metrics = await (await fetch(`${agent.statusUrl}/metrics`)).text();
    expect(Number(/mooring_agent_ovsdb_request_duration_seconds_count\{method="transact"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/mooring_agent_commands_total\{kind="bindPort",result="ok"\} 1/);
  });

  it('pushes status changes over the websocket', async () => {
    const ws = new WebSocket(`${agent.statusUrl.replace('http', 'ws')}/status/stream`);
    const messages: { type: string; status: { ports: { name: string }[] } }[] = [];
    const gotPort = new Promise<void>((resolve) =>
      ws.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString()) as (typeof messages)[number];
        messages.push(m);
        if (m.status.ports.some((p) => p.name === 'pf0vf2')) resolve();
      }),
    );
    await new Promise((resolve) => ws.once('open', resolve));
    await ctl(
      'agent',
      'bind-port',
      'nic1',
      '--port',
      'pf0vf2',
      '--iface-id',
      'port-2',
      '--mac',
      '52:54:00:00:01:02',
      '--vm-uuid',
      'machine-2',
    );
    await gotPort;
    expect(messages[0]?.type).toBe('snapshot');
    expect(messages.at(-1)?.type).toBe('change');
    ws.close();
  });

  it('survives kill -9 of the agent: same identity, epoch 2, no duplicate port, desired state restored', async () => {
    const before = (await agentInfo('nic1')).epoch;
    await agent.kill('SIGKILL');
    await ovs.vsctl('del-port', 'br-int', 'pf0vf2'); // lost while the agent was down
    agent = await startAgent(); // no token: it has its certificate
    await waitFor(onlineAt(before + 1), 30_000, 'nic1 ONLINE with a new epoch');
    await waitFor(async () => (await ovs.vsctl('list-ports', 'br-int')) === 'pf0vf1\npf0vf2', 30_000, 'pf0vf2 restored');
    expect(await ovs.vsctl('--columns=name', 'find', 'Interface', 'name=pf0vf1')).toBe('name                : pf0vf1');
  });

  it('reconciles when ovsdb-server comes back', async () => {
    await ovs.vsctl('del-port', 'br-int', 'pf0vf1');
    await ovs.killServer('SIGKILL');
    await ovs.startServer();
    await waitFor(
      async () => (await ovs.vsctl('list-ports', 'br-int')) === 'pf0vf1\npf0vf2',
      30_000,
      'pf0vf1 restored after the OVSDB restart',
    );
  });

  it('reconnects after a coordinator kill -9 within the backoff cap, ports untouched', async () => {
    const port = coord.port;
    const epochBefore = (await agentInfo('nic1')).epoch;
    const before = await ovs.vsctl('--columns=_uuid', 'find', 'Interface', 'name=pf0vf1');
    await coord.kill('SIGKILL');
    await waitFor(
      async () => (await agent.status<{ coordinator: { state: string } }>()).body.coordinator.state !== 'online',
      30_000,
      'the agent to notice',
    );
    expect((await fetch(`${agent.statusUrl}/readyz`)).status).toBe(503);
    await startCoordinator(port);
    await waitFor(onlineAt(epochBefore + 1), 30_000, 'nic1 ONLINE with a new epoch after the restart');
    expect(await ovs.vsctl('--columns=_uuid', 'find', 'Interface', 'name=pf0vf1')).toBe(before);
  });

  it('marks the agent OFFLINE after missed heartbeats, and a command for it fails at its deadline', async () => {
    const epochBefore = (await agentInfo('nic1')).epoch;
    agent.child.kill('SIGSTOP');
    try {
      await waitFor(async () => (await agents.of('nic1'))?.state === 'OFFLINE', 30_000, 'nic1 OFFLINE');
      const events = await ctl('--json', 'events', 'list');
      expect(events).toMatch(/no heartbeat for \d+ ms \(deadline 4000 ms\)/);
      const r = await moorctl(
        [
          'agent',
          'bind-port',
          'nic1',
          '--port',
          'pf0vf3',
          '--iface-id',
          'p3',
          '--mac',
          '52:54:00:00:01:03',
          '--vm-uuid',
          'm3',
          '--wait',
          '1s',
        ],
        env,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /agent nic1 is OFFLINE: bind-port pf0vf3 \(command .*\) was not delivered within 1000 ms \(DEADLINE_EXCEEDED\)/,
      );
    } finally {
      agent.child.kill('SIGCONT');
    }
    await waitFor(onlineAt(epochBefore + 1), 30_000, 'nic1 back ONLINE with a new epoch');
  });

  it('refuses a revoked agent and ends its session', async () => {
    await ctl('agent', 'revoke', 'nic1');
    await waitFor(
      async () => (await agent.status<{ coordinator: { state: string } }>()).body.coordinator.state === 'refused',
      30_000,
      'the agent to be refused',
    );
    const s = await agent.status<{ coordinator: { reason: string } }>();
    expect(s.body.coordinator.reason).toMatch(/revoked/);
    const info = await agentInfo('nic1');
    expect(info).toMatchObject({ state: 'OFFLINE', revoked: true });
  });
});
