// Agents across coordinators (issue 18): a real 3-member etcd cluster, real coordinator processes
// on one prefix (short leases), real agent processes, one with a real OVS.
// - A command issued on coordinator A for an agent whose session is on B goes through etcd: the
//   port binding appears in that agent's OVS and A answers with the agent's result.
// - `moorctl agent show` on A shows the live report and heartbeat of an agent whose session is on B
//   (asked of B through etcd).
// - `moorctl coordinators` lists every live coordinator with its agents.
// - A BIOS-halt deploy owned by A whose smartNIC agent connects to B only finishes: A's wait for
//   the agent's new session follows its record in etcd, and its port command goes through etcd.
// - A coordinator that starts leaves agents live on the others ONLINE (same epochs, no event).
// - kill -9 of B: its agent that can move reconnects to a survivor and is ONLINE there; its agent
//   that cannot (B is its only coordinator) is marked OFFLINE once, when B's lease ends; the list
//   no longer shows B.
// As in agent-coordinator-failover.test.ts, the coordinators share the first one's CA, secrets
// key and admin token, copied into their data dirs before they start.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Etcd3 } from 'etcd3';
import type { AgentProcess } from '../harness/agent-process.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { EtcdCluster } from '../harness/etcd.js';
import { AgentInfos } from '../harness/agent-infos.js';
import { startLinkedAgent } from '../harness/linked-agent.js';
import { OvsInstance, waitFor } from '../harness/ovs.js';
import { SimulatedHost } from '../harness/simulated-host.js';
import { enlistBehindSmartNic, MachineStatuses } from '../harness/smartnic-machine.js';

// A lease of 10 s (the default), so B's end is noticed within the test; not shorter: on a loaded
// 2-core machine (load 20-30) etcd answered keepalives 6.5 s late, and a coordinator whose lease
// lapses takes no sessions, so a 3 s and an 8 s lease made the test fail there.
// A wait for an agent that never comes fails the deploy within the test (not after 10 minutes).
const FAST = [
  '--heartbeat-interval-ms',
  '1000',
  '--heartbeat-deadline-ms',
  '4000',
  '--lease-ttl-seconds',
  '10',
  '--agent-session-timeout-ms',
  '30000',
];
const PREFIX = `/ha-agents-${process.pid}`;
const SHARED_FILES = ['ca.crt', 'secrets.key', 'admin.token'];

let dir: string;
let cluster: EtcdCluster;
let ovs: OvsInstance;
let caFile: string;
const coords: Record<string, CoordinatorProcess> = {};
const agents: AgentProcess[] = [];
let host: SimulatedHost | undefined;
const statuses = new MachineStatuses(() => coords['a']!);

interface CoordinatorInfo {
  id: string;
  address: string;
  duties: string[];
  agentCount: number;
  agents: string[];
  answering: boolean;
}

async function startOnEtcd(name: string): Promise<CoordinatorProcess> {
  const data = path.join(dir, name);
  if (name !== 'a') {
    await mkdir(data, { recursive: true });
    for (const f of SHARED_FILES) await copyFile(path.join(dir, 'a', f), path.join(data, f));
  }
  const coord = await startCoordinatorProcess(data, {
    logLevel: 'warn',
    extraArgs: ['--store', `etcd:${cluster.endpoints.join(',')}`, '--etcd-prefix', PREFIX, ...FAST],
  });
  coords[name] = coord;
  return coord;
}

async function ctl(coord: CoordinatorProcess, ...args: string[]): Promise<string> {
  const r = await moorctl(args, { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile });
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function agentInfo(coord: CoordinatorProcess, name: string): Promise<{ state: string; epoch: number; stateReason: string }> {
  return JSON.parse(await ctl(coord, '--json', 'agent', 'show', name)) as never;
}

async function coordinatorList(coord: CoordinatorProcess): Promise<CoordinatorInfo[]> {
  return JSON.parse(await ctl(coord, '--json', 'coordinators', '--agents')) as CoordinatorInfo[];
}

/** Waits until `coord`'s list of coordinators (as `coordinators --agents` shows it) passes `check`, looking over one connection. */
async function waitForList(
  coord: CoordinatorProcess,
  check: (list: CoordinatorInfo[]) => boolean,
  ms: number,
  what: string,
): Promise<void> {
  const infos = new AgentInfos(() => coord);
  try {
    await waitFor(async () => check((await infos.coordinators()) ?? []), ms, what);
  } finally {
    infos.close();
  }
}

async function offlineEvents(coord: CoordinatorProcess, agent: string): Promise<{ why: string }[]> {
  const { events } = JSON.parse(await ctl(coord, '--json', 'events', 'list')) as {
    events: { kind: string; why: string; details: Record<string, string> }[];
  };
  return events.filter((e) => e.kind === 'agent.offline' && e.details['agent'] === agent);
}

async function startAgent(name: string, on: CoordinatorProcess[], withOvs: boolean): Promise<AgentProcess> {
  const token = JSON.parse(await ctl(on[0]!, '--json', 'agent', 'token', 'create', '--name', name, '--ttl', '10m')) as { token: string };
  const agent = await startLinkedAgent({
    dataDir: path.join(dir, name),
    caFile,
    name,
    coordinators: on.map((c) => c.address),
    token: token.token,
    reconnectMax: '2s',
    ...(withOvs ? { ovs } : {}),
  });
  agents.push(agent);
  return agent;
}

async function connectedTo(agent: AgentProcess): Promise<string | null> {
  const s = await agent.status<{ coordinator: { address: string | null; state: string } }>();
  return s.body.coordinator.state === 'online' ? s.body.coordinator.address : null;
}

const idOf = async (coord: CoordinatorProcess): Promise<string> => (await coordinatorList(coord)).find((c) => c.answering)!.id;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-ha-agents-'));
  [cluster, ovs] = await Promise.all([EtcdCluster.start(3), OvsInstance.start()]);
  const a = await startOnEtcd('a');
  caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, a.caPem);
  await startOnEtcd('b');
}, 120_000);

afterAll(async () => {
  statuses.close();
  await host?.stop();
  for (const agent of agents) await agent.kill('SIGKILL');
  for (const coord of Object.values(coords)) await coord.kill('SIGKILL');
  await ovs?.stop();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('agents across coordinators on etcd', () => {
  it('delivers a command issued on A to an agent connected to B, and lists both coordinators with their agents', async () => {
    const { a, b } = coords as { a: CoordinatorProcess; b: CoordinatorProcess };
    const mover = await startAgent('nic-mover', [b, a], true);
    const pinned = await startAgent('nic-pinned', [b], false);
    const onA = await startAgent('nic-on-a', [a], false);
    for (const [agent, coord] of [
      [mover, b],
      [pinned, b],
      [onA, a],
    ] as const) {
      await waitFor(async () => (await connectedTo(agent)) === coord.address, 60_000, `agent on ${coord.address}`);
    }

    const out = await ctl(
      a,
      'agent',
      'bind-port',
      'nic-mover',
      '--port',
      'pf0vf1',
      '--iface-id',
      'port-1',
      '--mac',
      '52:54:00:00:01:01',
      '--vm-uuid',
      'machine-1',
    );
    expect(out).toMatch(/pf0vf1\s+active\s+\d+\s+port-1\s+52:54:00:00:01:01/);
    expect(await ovs.vsctl('get', 'Interface', 'pf0vf1', 'external_ids')).toContain('iface-id=port-1');
    // Delivered by B, which holds the session: A never had one.
    expect(mover.lines.some((l) => l.msg === 'coordinator session ended')).toBe(false);
    // `agent show` on A tells what B knows live of the session: its report (the port) and heartbeat.
    // The wait looks over one connection (GetAgent, what `agent show` prints); moorctl then shows it.
    const shownByA = new AgentInfos(() => a);
    try {
      await waitFor(
        async () => (await shownByA.of('nic-mover'))?.report?.ports.some((p) => p.spec?.name === 'pf0vf1') === true,
        20_000,
        'nic-mover’s report with pf0vf1, shown by A',
      );
    } finally {
      shownByA.close();
    }
    type Live = { lastHeartbeatAt: string; report: { ports: { spec: { name: string } }[] } | null };
    const live = JSON.parse(await ctl(a, '--json', 'agent', 'show', 'nic-mover')) as Live;
    expect(live.report?.ports.map((p) => p.spec.name)).toContain('pf0vf1');
    expect(Date.parse(live.lastHeartbeatAt)).toBeGreaterThan(Date.now() - 60_000);

    const [idA, idB] = [await idOf(a), await idOf(b)];
    const list = await coordinatorList(a);
    expect(list.map((c) => c.id).sort()).toEqual([idA, idB].sort());
    expect(list.find((c) => c.id === idB)).toMatchObject({ agentCount: 2, agents: ['nic-mover', 'nic-pinned'], address: b.address });
    expect(list.find((c) => c.id === idA)).toMatchObject({ agentCount: 1, agents: ['nic-on-a'], address: a.address });
    const table = await ctl(b, 'coordinators');
    expect(table).toMatch(/^ID\s+ADDRESS\s+STARTED\s+VERSION\s+DUTIES\s+AGENTS/);
    expect(table).toMatch(new RegExp(`${idB} \\(this one\\)\\s+${b.address.replace(/[.]/g, '\\.')}\\s.*\\s2$`, 'm'));
    const show = await ctl(b, 'coordinators', 'show', idA);
    expect(show).toMatch(/agents\s+1 ONLINE on it\n\s+nic-on-a\n/);
  }, 120_000);

  it('finishes a deploy owned by A whose smartNIC agent is connected to B only', async () => {
    const { a, b } = coords as { a: CoordinatorProcess; b: CoordinatorProcess };
    const env = { MOORING_COORDINATOR: a.address, MOORING_TOKEN: a.adminToken, MOORING_CA: caFile };
    const token = (JSON.parse(await ctl(a, '--json', 'agent', 'token', 'create', '--name', 'dpu-split')) as { token: string }).token;
    host = await SimulatedHost.start({
      agentName: 'dpu-split',
      dir: path.join(dir, 'host'),
      coordinator: b.address,
      caPem: a.caPem,
      token,
      power: 'off',
    });
    const smartHost = host;
    const machineId = await enlistBehindSmartNic(env, statuses, smartHost, {
      hostname: 'split-node',
      mac: '52:54:00:00:31:01',
      agentName: 'dpu-split',
    });
    await ctl(a, 'machine', 'allocate', '--name', 'split-node');
    // Every holder the sequence's claim has (a coordinator id), from before the deploy to its end.
    const etcd = new Etcd3({ hosts: cluster.endpoints });
    const holders: string[] = [];
    try {
      const watcher = await etcd.watch().key(`${PREFIX}/ha/seq/${machineId}`).create();
      watcher.on('put', (kv) => holders.push(kv.value.toString()));
      await ctl(a, 'machine', 'deploy', 'split-node');
      await statuses.waitFor('split-node', 'DEPLOYED', 60_000, async () => `sets ${JSON.stringify(await smartHost.bmc.sets())}`);
      await watcher.cancel();
    } finally {
      etcd.close();
    }
    expect(holders.length).toBeGreaterThan(0);
    expect(new Set(holders)).toEqual(new Set([await idOf(a)]));
    const sets = await smartHost.bmc.sets();
    expect(sets.filter((s) => s.startsWith('set power'))).toEqual(['set power 1', 'set power 0', 'set power 1']);
    expect(await smartHost.ovs.vsctl('list-ports', 'br-int')).toBe('pf0vf0');
    // The agent knows B only (A reached it through etcd): its session after the deploy's boot is there too.
    const idB = await idOf(b);
    await waitForList(a, (list) => list.find((c) => c.id === idB)?.agents.includes('dpu-split') === true, 30_000, 'dpu-split back on B');
    const events = JSON.parse(await ctl(a, '--json', 'events', 'list', '--machine', 'split-node')) as { events: { kind: string }[] };
    expect(events.events.filter((e) => e.kind === 'sequence.step-failed')).toEqual([]);
  }, 150_000);

  it('a coordinator that starts leaves the agents live on the others ONLINE', async () => {
    const { a, b } = coords as { a: CoordinatorProcess; b: CoordinatorProcess };
    const before = await Promise.all(['nic-mover', 'nic-pinned', 'nic-on-a'].map((n) => agentInfo(a, n)));
    const c = await startOnEtcd('c');
    // start() marks agents OFFLINE before it listens: by now it has.
    for (const [i, name] of ['nic-mover', 'nic-pinned', 'nic-on-a'].entries()) {
      expect(await agentInfo(c, name)).toMatchObject({ state: 'ONLINE', epoch: before[i]!.epoch });
      expect(await offlineEvents(c, name)).toEqual([]);
    }
    await waitForList(b, (list) => list.length === 3, 10_000, 'B sees C registered');
  }, 60_000);

  it('after kill -9 of B: its movable agent is ONLINE on a survivor, its pinned agent OFFLINE once, B gone from the list', async () => {
    const { a, b, c } = coords as { a: CoordinatorProcess; b: CoordinatorProcess; c: CoordinatorProcess };
    const idB = await idOf(b);
    const mover = agents[0]!;
    const epoch = (await agentInfo(a, 'nic-mover')).epoch;
    await b.kill('SIGKILL');
    delete coords['b'];
    // Its reconnect backoff (at most 2 s) after the heartbeat silence that notices B gone.
    await waitFor(async () => (await connectedTo(mover)) === a.address, 60_000, 'nic-mover on A');
    // The waits read C over one connection (a look through moorctl is a Node process).
    const onC = new AgentInfos(() => c);
    try {
      await waitFor(async () => ((await onC.of('nic-mover'))?.epoch ?? 0) > epoch, 10_000, 'a newer session of nic-mover');
      // B's lease ends: nic-pinned, which has no other coordinator, is marked OFFLINE by one survivor.
      await waitFor(async () => (await onC.of('nic-pinned'))?.state === 'OFFLINE', 30_000, 'nic-pinned OFFLINE');
    } finally {
      onC.close();
    }
    expect((await agentInfo(a, 'nic-pinned')).stateReason).toContain(`coordinator ${idB} is gone`);
    await waitForList(c, (list) => list.length === 2, 10_000, 'B gone from the list');
    const list = await coordinatorList(c);
    expect(list.map((x) => x.id)).not.toContain(idB);
    expect(list.find((x) => x.address === a.address)?.agents).toEqual(['nic-mover', 'nic-on-a'].sort());
    // The mover is ONLINE on A, whatever B's end did to its old session; nic-on-a was never touched.
    expect(await agentInfo(c, 'nic-mover')).toMatchObject({ state: 'ONLINE' });
    expect(await offlineEvents(a, 'nic-on-a')).toEqual([]);
    expect(await offlineEvents(a, 'nic-pinned')).toHaveLength(1);
    // A command issued on C reaches the mover, now on A.
    await ctl(c, 'agent', 'unbind-port', 'nic-mover', '--port', 'pf0vf1');
    expect(await ovs.vsctl('list-ports', 'br-int')).not.toContain('pf0vf1');
  }, 120_000);
});
