// Work that must happen once, across two real coordinator processes on one prefix of a real
// 3-member etcd cluster (lease TTL 5 s), with a real ipmi_sim BMC and a real
// smartNIC agent on real OVS (test/harness/simulated-host.ts) whose agent knows both coordinators:
// - kill -9 of the coordinator running a BIOS-halt deploy at each of the sequencer's crash points
//   (its failpoint, armed through a file per coordinator), all in one deploy: the other takes the
//   sequence over when the dead one's lease ends and is killed at the next point, while the dead
//   one starts again to take it over in turn; the last one finishes it, with one port and the
//   power calls of an uninterrupted run (the ipmi_sim chassis log);
// - SIGSTOP of the owner past its lease: the other takes over and finishes; after SIGCONT the
//   stale one exits (lease lost) without a write (events and machine unchanged) or a BMC call,
//   though its BMC session's keep-alive is due as it wakes (ha/act-deadline.ts);
// - a singleton duty (power sync, OVN reconcile) moves to the survivor when its holder dies.
// One cluster, one pair of coordinators and one machine for all of it: a killed coordinator
// starts again while the other waits out its lease, or during the release that readies the
// machine for the next test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { EtcdCluster } from '../harness/etcd.js';
import { waitFor } from '../harness/ovs.js';
import { SimulatedHost } from '../harness/simulated-host.js';
import { enlistBehindSmartNic, MachineStatuses } from '../harness/smartnic-machine.js';
import { BIOS_HALT_CRASH_POINTS } from '../harness/crash-points.js';

const SHARED_FILES = ['ca.crt', 'secrets.key', 'admin.token'];
const HOSTNAME = 'ha-node';
const PREFIX = `/ha-seq-${process.pid}`;
/**
 * The BMC sessions' idle period (keep-alive), short: the SIGSTOP test waits it out. Its window for
 * a stray BMC call is the survivor's next keep-alive, this long after the one it waits for.
 */
const SESSION_IDLE_MS = 5000;
const ARGS = [
  '--heartbeat-interval-ms',
  '1000',
  '--heartbeat-deadline-ms',
  '5000',
  '--agent-session-timeout-ms',
  '30000',
  '--port-active-timeout-ms',
  '20000',
  // Short, as each takeover waits it out. At 3 s the SIGSTOP test below once saw a BMC call after
  // SIGCONT: the woken coordinator's session keep-alive, due as its lease watchdog found the lease
  // gone (the sessions now check the lease's deadline themselves). A first start's RSA keys are
  // made before the lease (coordinator.ts).
  '--lease-ttl-seconds',
  '3',
  '--ipmi-session-idle-ms',
  String(SESSION_IDLE_MS),
];

interface Node {
  readonly name: string;
  coord: CoordinatorProcess;
  readonly crashFile: string;
  /** Settles once the node is up again after a kill (a restart under way in the background). */
  ready: Promise<void>;
}

let dir: string;
let cluster: EtcdCluster;
let etcd: Etcd3;
let caFile: string;
let host: SimulatedHost;
const nodes: Node[] = [];
/** The coordinator currently serving moorctl and the status polls. */
let serving: Node;

function env(node: Node): Record<string, string> {
  return { MOORING_COORDINATOR: node.coord.address, MOORING_TOKEN: node.coord.adminToken, MOORING_CA: caFile };
}

async function ctl(node: Node, ...args: string[]): Promise<string> {
  const r = await moorctl(args, env(node));
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} on ${node.name} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

const statuses = new MachineStatuses(() => serving.coord);

async function startNode(name: string, port?: number): Promise<CoordinatorProcess> {
  return startCoordinatorProcess(path.join(dir, name), {
    logLevel: 'warn',
    ...(port === undefined ? {} : { port }),
    extraArgs: ['--store', `etcd:${cluster.endpoints.join(',')}`, '--etcd-prefix', PREFIX, ...ARGS],
    env: { ...process.env, MOORING_SEQUENCER_CRASH_FILE: path.join(dir, `${name}.crash`) },
  });
}

async function coordinatorId(node: Node): Promise<string> {
  return (await readFile(path.join(dir, node.name, 'coordinator-id'), 'utf8')).trim();
}

/** Who holds a claim (a coordinator id), read from etcd itself. */
async function holderOf(kind: 'duty' | 'seq', name: string): Promise<string | null> {
  return etcd.get(`${PREFIX}/ha/${kind}/${name}`).string();
}

async function eventCount(node: Node): Promise<number> {
  return (await machineEvents(node)).length;
}

async function machineEvents(node: Node): Promise<{ kind: string }[]> {
  return (JSON.parse(await ctl(node, '--json', 'events', 'list', '--machine', HOSTNAME)) as { events: { kind: string }[] }).events;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-ha-seq-'));
  cluster = await EtcdCluster.start(3);
  etcd = new Etcd3({ hosts: cluster.endpoints });
  const a: Node = {
    name: 'coord-a',
    coord: await startNode('coord-a'),
    crashFile: path.join(dir, 'coord-a.crash'),
    ready: Promise.resolve(),
  };
  await mkdir(path.join(dir, 'coord-b'), { recursive: true });
  for (const f of SHARED_FILES) await copyFile(path.join(dir, 'coord-a', f), path.join(dir, 'coord-b', f));
  const b: Node = {
    name: 'coord-b',
    coord: await startNode('coord-b'),
    crashFile: path.join(dir, 'coord-b.crash'),
    ready: Promise.resolve(),
  };
  nodes.push(a, b);
  serving = a;
  caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, a.coord.caPem);
  const token = (JSON.parse(await ctl(a, '--json', 'agent', 'token', 'create', '--name', 'dpu-ha')) as { token: string }).token;
  host = await SimulatedHost.start({
    agentName: 'dpu-ha',
    dir: path.join(dir, 'host'),
    // Both, a first: the agent starts with the one it was last connected to.
    coordinator: `${a.coord.address},${b.coord.address}`,
    caPem: a.coord.caPem,
    token,
    power: 'off',
  });
  await enlistBehindSmartNic(env(a), statuses, host, { hostname: HOSTNAME, mac: '52:54:00:00:30:01', agentName: 'dpu-ha' });
}, 120_000);

afterAll(async () => {
  statuses.close();
  await host?.stop();
  for (const node of nodes) await node.ready.catch(() => undefined);
  for (const node of nodes) await node.coord.kill('SIGKILL');
  etcd?.close();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The power and port outcome of one uninterrupted BIOS-halt deploy. */
async function sleepUntil(epochMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now())));
}

/**
 * Returns just after a BMC call of the survivor, the only coordinator then calling: its session
 * sends its next keep-alive SESSION_IDLE_MS after its last call, so none falls in the seconds that
 * follow. If none comes within that period, its session has ended.
 */
async function afterSurvivorKeepAlive(): Promise<void> {
  const calls = await host.bmc.calls();
  const last = calls[calls.length - 1]!;
  if (Date.now() - last.atMs < 500) return;
  const wait = Math.max(0, last.atMs + SESSION_IDLE_MS + 2000 - Date.now());
  await host.bmc.waitForCall((c) => c.seq > last.seq, "the survivor's keep-alive", wait).catch(() => undefined);
}

/** Every process descended from `pid` (its process launcher and the BMC sessions it started: sh, cat, ipmitool). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readFileSafe(`/proc/${entry}/stat`);
    const ppid = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isInteger(ppid)) continue;
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function readFileSafe(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

async function expectOneCleanDeploy(): Promise<void> {
  const sets = await host.bmc.sets();
  // Boot-device writes may repeat after a takeover (they are idempotent); power changes never do.
  expect(sets.filter((s) => s.startsWith('set power'))).toEqual(['set power 1', 'set power 0', 'set power 1']);
  expect([...new Set(sets.filter((s) => s.startsWith('set boot')))]).toEqual(['set boot bios', 'set boot pxe']);
  expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('pf0vf0');
}

/** The coordinator the smartNIC's agent was last on: it starts with that one when the host powers on. */
let agentLastOn = '';

async function releaseThrough(node: Node): Promise<void> {
  serving = node;
  await waitFor(
    async () => {
      const s = await host.agent?.status<{ coordinator: { address: string | null; state: string } }>().catch(() => null);
      agentLastOn = s?.body.coordinator.state === 'online' ? (s.body.coordinator.address ?? '') : '';
      return agentLastOn !== '';
    },
    30_000,
    'the smartNIC agent online',
  );
  await ctl(node, 'machine', 'release', HOSTNAME);
  await statuses.waitFor(HOSTNAME, 'READY', 30_000);
  expect(await host.bmc.power()).toBe('off');
  expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('');
}

/** Starts a killed node again, in the background (its old port: the agent's list names it). */
function restartLater(node: Node): void {
  node.ready = startNode(node.name, node.coord.port).then((coord) => {
    node.coord = coord;
  });
}

/** The node's process ends killed by a signal (a crash point) within `ms`. */
async function crashed(node: Node, at: string, ms = 60_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${node.name} did not die at ${at} within ${ms} ms`)), ms);
  });
  try {
    expect(await Promise.race([node.coord.exited, late])).toBeNull();
  } finally {
    clearTimeout(timer);
  }
}

// The sequencer's crash points, before and after each step that acts on the BMC or OVS (as
// bios-halt-crash.test.ts runs them on one coordinator), in step order: one deploy passes them all,
// the coordinators taking turns to run the sequence up to the next point and be killed there.
const CRASHES = BIOS_HALT_CRASH_POINTS;

describe('two coordinators on etcd: sequences and duties run once', () => {
  /** The coordinator that runs the sequence up to the next crash point (armed for it). */
  let owner: Node;

  it.each(CRASHES)(
    'kill -9 of the coordinator running the deploy at %s: the other, armed for the next point or for none, takes it over',
    { timeout: 60_000 },
    async (crash) => {
      const k = CRASHES.indexOf(crash);
      if (k === 0) {
        owner = nodes[0]!;
        await host.bmc.clearCalls();
        await ctl(owner, 'machine', 'allocate', '--name', HOSTNAME);
        await writeFile(owner.crashFile, crash);
        await writeFile(nodes[1]!.crashFile, CRASHES[1]!);
        const died = crashed(owner, crash);
        await moorctl(['machine', 'deploy', HOSTNAME], env(owner)); // may be cut off by the crash
        await died;
      } else {
        // It took the sequence over once the last one's lease ended (its crash point is on a step
        // only the sequence's owner runs).
        await crashed(owner, crash);
      }
      const successor = nodes[1 - nodes.indexOf(owner)]!;
      if (k > 0) {
        // Killed at the point before this one, its claim taken over since: started again (its old
        // port: the agent's list names it) while the dead owner's lease runs out.
        await writeFile(successor.crashFile, CRASHES[k + 1] ?? '');
        restartLater(successor);
        await successor.ready;
      }
      owner = successor;
    },
  );

  it('the last one standing finishes the deploy: one port, no extra power change; the claim released', { timeout: 60_000 }, async () => {
    serving = owner;
    await statuses.waitFor(HOSTNAME, 'DEPLOYED', 30_000, async () => `sets ${JSON.stringify(await host.bmc.sets())}`);
    await expectOneCleanDeploy();
    const events = await machineEvents(owner);
    expect(events.filter((e) => e.kind === 'sequence.step-failed')).toEqual([]);
    // Its claim was released with the finished sequence.
    const machineId = (JSON.parse(await ctl(owner, '--json', 'machine', 'show', HOSTNAME)) as { id: string }).id;
    expect(await holderOf('seq', machineId)).toBeNull();
    const dead = nodes[1 - nodes.indexOf(owner)]!;
    await writeFile(dead.crashFile, '');
    restartLater(dead);
    await releaseThrough(owner);
  });

  it('SIGSTOP of the owner past its lease: the other finishes; the stale one, woken, exits without a write or a BMC call', async () => {
    // Stopped once it powered the host on: it has changed the BMC, and has a port to bind next. It
    // is the coordinator the agent was not last on: the agent comes back to its peer (an agent
    // dialling a stopped process waits on its TLS handshake).
    await Promise.all(nodes.map((n) => n.ready));
    const stopped = nodes.find((n) => n.coord.address !== agentLastOn)!;
    const other = nodes.find((n) => n !== stopped)!;
    await host.bmc.clearCalls();
    await ctl(other, 'machine', 'allocate', '--name', HOSTNAME);
    await ctl(stopped, 'machine', 'deploy', HOSTNAME);
    const poweredOn = await host.bmc.waitForCall((c) => c.text === 'set power 1', 'power on by the owner');
    stopped.coord.child.kill('SIGSTOP');
    try {
      serving = other;
      await statuses.waitFor(HOSTNAME, 'DEPLOYED', 45_000, async () => `sets ${JSON.stringify(await host.bmc.sets())}`);
      await expectOneCleanDeploy();
      // Woken only once its BMC session has been idle past the keep-alive period: the keep-alive
      // is then due the moment it wakes, racing the lease watchdog.
      await sleepUntil(poweredOn.atMs + SESSION_IDLE_MS + 1000);
      const events = await eventCount(other);
      const machine = await ctl(other, '--json', 'machine', 'show', HOSTNAME);
      // Last, so that the survivor's next keep-alive is a whole idle period away from the count.
      await afterSurvivorKeepAlive();
      const sessions = descendants(stopped.coord.child.pid!);
      const calls = (await host.bmc.calls()).length;
      stopped.coord.child.kill('SIGCONT');
      // It finds its lease run out, says so and exits (4: lease lost) at once.
      expect(await stopped.coord.exited).toBe(4);
      // Its sessions' ipmitool processes end at end of input, after any command already written.
      const ended = (): Promise<boolean> => Promise.resolve(sessions.every((pid) => !existsSync(`/proc/${pid}`)));
      await waitFor(ended, 10_000, 'the stale BMC sessions to end');
      expect((await host.bmc.calls()).length).toBe(calls);
      expect(await eventCount(other)).toBe(events);
      expect(await ctl(other, '--json', 'machine', 'show', HOSTNAME)).toBe(machine);
    } finally {
      stopped.coord.child.kill('SIGCONT');
    }
    restartLater(stopped);
    await releaseThrough(other);
  }, 90_000);

  it('a singleton duty moves to the survivor when its holder is killed -9', async () => {
    await Promise.all(nodes.map((n) => n.ready));
    const ids = await Promise.all(nodes.map(coordinatorId));
    let holder = '';
    await waitFor(async () => (holder = (await holderOf('duty', 'power-sync')) ?? '') !== '', 10_000, 'power-sync held');
    expect(ids).toContain(holder);
    // One coordinator holds each duty; both were campaigning.
    expect(await holderOf('duty', 'ovn-reconcile')).not.toBeNull();
    const dead = nodes[ids.indexOf(holder)]!;
    const survivor = ids[1 - ids.indexOf(holder)]!;
    await dead.coord.kill('SIGKILL');
    await waitFor(async () => (await holderOf('duty', 'power-sync')) === survivor, 15_000, 'power-sync moved to the survivor');
    await waitFor(async () => (await holderOf('duty', 'ovn-reconcile')) === survivor, 15_000, 'ovn-reconcile moved to the survivor');
  }, 60_000);
});
