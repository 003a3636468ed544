// Deploys on real OVN, end to end: a mooring-coordinator process (dist/) pointed at a real
// OVN_Northbound and OVN_Southbound (test/harness/ovn.ts, with ovn-northd), simulated hosts whose
// smartNIC OVS is the one a real ovn-controller runs against (OvnCentral.attachChassis), real
// ipmi_sim BMCs, driven by moorctl. Asserted from ovn-nbctl / ovn-sbctl, ovn-trace, the BMC call
// logs and ovn-controller's own log. One OVN central and one set of hosts serve every test here;
// the last one releases all three machines and finds no LSP or Port_Binding of this fleet left.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { waitFor } from '../harness/ovs.js';
import { SmartNicWorld, type WorldMachine } from '../harness/smartnic-world.js';

const OWNER = 'e2e-ovn-deploy';
/** The deploys' bound on a port being active and up: OVN reports one up 0.05 s into the step; the controller-down test waits it out. */
const PORT_ACTIVE_S = 3;

type Machine = WorldMachine & { readonly chassis: NonNullable<WorldMachine['chassis']> };

let world: SmartNicWorld;
let n = 0;
const ctl = (...args: string[]): Promise<string> => world.ctl(...args);
const status = (hostname: string): Promise<string> => world.statuses.of(hostname);

/** A host behind a smartNIC (port pf0vf0) whose OVS runs ovn-controller as chassis-N; enlisted, commissioned, READY. */
async function machine(): Promise<Machine> {
  const k = ++n;
  const m = await world.machine({
    agentName: `dpu-${k}`,
    hostname: `ovn-node-${k}`,
    mac: `52:54:00:00:40:${k.toString(16).padStart(2, '0')}`,
    chassis: `chassis-${k}`,
  });
  return { ...m, chassis: m.chassis! };
}

interface Lsp {
  name: string;
  mac: string;
  ip: string;
}

/** The machine's owned LSPs in NB (by mooring:machine-id), with their address. */
async function lspsOf(m: Machine): Promise<Lsp[]> {
  const out = await ovn.nbctl(
    '--bare',
    '--format=csv',
    '--no-headings',
    '--columns=name,addresses',
    'find',
    'Logical_Switch_Port',
    `external_ids:mooring\\:owner=${OWNER}`,
    `external_ids:mooring\\:machine-id=${m.machineId}`,
  );
  if (out === '') return [];
  return out.split('\n').map((line) => {
    const [name, addresses] = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    const [mac, ip] = addresses!.split(' ');
    return { name: name!, mac: mac!, ip: ip ?? '' };
  });
}

async function lspOn(m: Machine, network: string): Promise<Lsp> {
  const [sw] = await ovn.nbFind(
    'Logical_Switch',
    'name',
    `external_ids:mooring\\:name=${network}`,
    `external_ids:mooring\\:owner=${OWNER}`,
  );
  const onSwitch = (await ovn.nbctl('--bare', '--columns=ports', 'list', 'Logical_Switch', sw!)).split(/\s+/);
  const uuids = await Promise.all(onSwitch.map(async (u) => (u ? await ovn.nbctl('get', 'Logical_Switch_Port', u, 'name') : '')));
  const mine = (await lspsOf(m)).filter((l) => uuids.some((name) => name.replace(/"/g, '') === l.name));
  expect(mine).toHaveLength(1);
  return mine[0]!;
}

async function bindingChassis(lsp: string): Promise<string> {
  const chassisUuid = await ovn.sbctl('--bare', '--columns=chassis', 'find', 'Port_Binding', `logical_port=${lsp}`);
  return chassisUuid === '' ? '' : await ovn.sbctl('--bare', '--columns=name', 'list', 'Chassis', chassisUuid);
}

/** When ovn-controller logged that it claimed this LSP (its log's UTC millisecond timestamp). */
async function claimedAt(m: Machine, lsp: string): Promise<number> {
  const log = await readFile(path.join(m.host.ovs.dir, 'ovn-controller.log'), 'utf8');
  const line = log.split('\n').find((l) => l.includes(`Claiming lport ${lsp}`));
  if (!line) throw new Error(`ovn-controller of ${m.chassis.name} never claimed ${lsp}`);
  return Date.parse(line.split('|')[0]!);
}

/** The latest completed sequence step of this name (its event is stored once the step is done). */
async function stepDone(hostname: string, step: string): Promise<{ doneAt: number; durationMs: number }> {
  const { events } = JSON.parse(await ctl('--json', 'events', 'list', '--machine', hostname)) as {
    events: { kind: string; time: string; details: Record<string, string> }[];
  };
  const e = events.filter((ev) => ev.kind === 'sequence.step' && ev.details['step'] === step).at(-1);
  if (!e) throw new Error(`no ${step} step in the events of ${hostname}`);
  return { doneAt: Date.parse(e.time), durationMs: Number(e.details['durationMs']) };
}

/** The newest event's seq now (events after it are the ones still to come). */
async function lastEventSeq(): Promise<number> {
  return withAdmin(async (client) => Number((await client.call('EventService', 'ListEvents', { limit: 1, sinceSeq: 0 })).lastSeq));
}

/** Waits until the machine's sequence has completed `step` (an event after seq `since`), read over one gRPC connection. */
async function waitForStep(hostname: string, step: string, since: number): Promise<void> {
  await withAdmin((client) =>
    waitFor(
      async () =>
        (await client.call('EventService', 'ListEvents', { machine: hostname, sinceSeq: since, limit: 0 })).events.some(
          (e) => e.kind === 'sequence.step' && e.details['step'] === step,
        ),
      30_000,
      `${hostname}: step ${step} done`,
    ),
  );
}

async function withAdmin<T>(use: (client: CoordinatorClient) => Promise<T>): Promise<T> {
  const { address, caPem, adminToken } = world.coord;
  const client = new CoordinatorClient({ address, caPem, token: adminToken, ownConnection: true });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

function tcp(from: { lsp: Lsp }, to: { lsp: Lsp }, dport: number): string {
  return [
    `inport == "${from.lsp.name}"`,
    `eth.src == ${from.lsp.mac}`,
    `eth.dst == ${to.lsp.mac}`,
    `ip4.src == ${from.lsp.ip}`,
    `ip4.dst == ${to.lsp.ip}`,
    'ip.ttl == 64',
    'tcp',
    'tcp.src == 40000',
    `tcp.dst == ${dport}`,
  ].join(' && ');
}

let a: Machine; // blue, in security group web
let b: Machine; // red (the other tenant)
let c: Machine; // blue, then moved to red, then used for the fault tests
let ovn: SmartNicWorld['ovn'];
let env: Record<string, string>;

beforeAll(async () => {
  world = await SmartNicWorld.start({ name: 'ovn-deploy', portActiveTimeoutMs: PORT_ACTIVE_S * 1000, ovn: { owner: OWNER } });
  ovn = world.ovn;
  env = world.env;
  await ctl('network', 'create', 'blue', '--cidr', '10.0.5.0/24');
  await ctl('network', 'create', 'red', '--cidr', '10.0.6.0/24');
  await ctl('security-group', 'create', 'web');
  [a, b, c] = await Promise.all([machine(), machine(), machine()]);
}, 90_000);

afterAll(async () => {
  await world?.stop();
});

describe('deploys on real OVN', () => {
  it(
    'deploys on a network: LSP with MAC and IP, up, bound to the smartNIC chassis before the deploy boot',
    { timeout: 60_000 },
    async () => {
      await ctl('machine', 'allocate', '--name', a.hostname);
      const watch = await moorctl(['machine', 'deploy', a.hostname, '--network', 'blue', '--security-group', 'web', '--watch'], env);
      expect(watch.code, watch.stdout + watch.stderr).toBe(0);
      const lsp = await lspOn(a, 'blue');
      expect(lsp).toMatchObject({ mac: a.mac, ip: '10.0.5.2' });
      expect(await ovn.nbctl('get', 'Logical_Switch_Port', lsp.name, 'up')).toBe('true');
      expect(await bindingChassis(lsp.name)).toBe(a.chassis.name);
      expect((await a.host.ovs.vsctl('get', 'Interface', 'pf0vf0', 'external_ids:iface-id')).replace(/"/g, '')).toBe(lsp.name);
      // BIOS-halt power-on, the claim, and only then the deploy boot device and the final power cycle.
      const calls = (await a.host.bmc.calls()).filter((call) => call.text.startsWith('set '));
      expect(calls.map((call) => call.text)).toEqual(['set boot bios', 'set power 1', 'set boot pxe', 'set power 0', 'set power 1']);
      const claimed = await claimedAt(a, lsp.name);
      expect(claimed).toBeGreaterThanOrEqual(calls[1]!.atMs);
      expect(claimed).toBeLessThanOrEqual(calls[2]!.atMs);
      // The coordinator saw OVN report the port up (its wait-ovn step done) before it set the deploy boot.
      const wait = await stepDone(a.hostname, 'wait-ovn');
      expect(wait.doneAt).toBeGreaterThanOrEqual(claimed);
      expect(wait.doneAt).toBeLessThanOrEqual(calls[2]!.atMs);
      expect(await ctl('machine', 'show', a.hostname)).toMatch(
        new RegExp(`blue +${lsp.name} +10\\.0\\.5\\.2 +web +up on chassis ${a.chassis.name}`),
      );
    },
  );

  it(
    'isolates what the deploys made: same network delivered, other tenant dropped, an SSH rule admits exactly its CIDR',
    { timeout: 60_000 },
    async () => {
      await ctl('machine', 'allocate', '--name', b.hostname);
      await ctl('machine', 'allocate', '--name', c.hostname);
      const [rb, rc] = await Promise.all([
        moorctl(['machine', 'deploy', b.hostname, '--network', 'red', '--watch'], env),
        moorctl(['machine', 'deploy', c.hostname, '--network', 'blue', '--watch'], env),
      ]);
      expect(rb.code, rb.stdout).toBe(0);
      expect(rc.code, rc.stdout).toBe(0);
      const pa = { lsp: await lspOn(a, 'blue') };
      const pb = { lsp: await lspOn(b, 'red') };
      const pc = { lsp: await lspOn(c, 'blue') };
      const blueSwitch = (await ovn.nbFind('Logical_Switch', 'name', `external_ids:mooring\\:name=blue`))[0]!;
      // a is in web, which admits nothing inbound yet; c is in no group: a -> c delivered, c -> a dropped.
      expect(await ovn.trace(blueSwitch, tcp(pa, pc, 80))).toEqual({ kind: 'delivered', to: [pc.lsp.name] });
      // Another tenant's port is not on blue at all: nothing delivers it.
      expect((await ovn.trace(blueSwitch, tcp(pa, pb, 80))).kind).toBe('dropped');
      expect((await ovn.trace(blueSwitch, tcp(pc, pa, 22))).kind).toBe('dropped');
      // TCP 22 from c's address only.
      const add = (cidr: string): Promise<string> =>
        ctl(
          '--json',
          'security-group',
          'rule',
          'add',
          'web',
          '--direction',
          'in',
          '--protocol',
          'tcp',
          '--port',
          '22',
          '--remote-cidr',
          cidr,
        );
      const rule = (JSON.parse(await add(`${pc.lsp.ip}/32`)) as { rule: { id: string } }).rule.id;
      expect(await ovn.trace(blueSwitch, tcp(pc, pa, 22))).toEqual({ kind: 'delivered', to: [pa.lsp.name] });
      expect(await ovn.trace(blueSwitch, tcp(pc, pa, 80))).toEqual({ kind: 'dropped', stage: 'ls_out_acl' });
      // The same port from a CIDR that leaves c out admits nothing from c.
      await ctl('security-group', 'rule', 'delete', 'web', rule);
      await add('10.0.5.128/25');
      expect(await ovn.trace(blueSwitch, tcp(pc, pa, 22))).toEqual({ kind: 'dropped', stage: 'ls_out_acl' });
    },
  );

  it(
    'moves c to red: a new LSP there claimed by its chassis, the blue one gone; release leaves no LSP of it',
    { timeout: 60_000 },
    async () => {
      const before = await lspOn(c, 'blue');
      const bind = await moorctl(['machine', 'bind-network', c.hostname, '--network', 'red', '--watch'], env);
      expect(bind.code, bind.stdout + bind.stderr).toBe(0);
      const after = await lspOn(c, 'red');
      expect(after.name).not.toBe(before.name);
      expect(after).toMatchObject({ mac: c.mac, ip: '10.0.6.3' });
      expect(await lspsOf(c)).toEqual([after]);
      expect(await ovn.nbFind('Logical_Switch_Port', 'name', `name=${before.name}`)).toEqual([]);
      expect(await ovn.nbctl('get', 'Logical_Switch_Port', after.name, 'up')).toBe('true');
      expect(await bindingChassis(after.name)).toBe(c.chassis.name);
      // Now b and c share red.
      const redSwitch = (await ovn.nbFind('Logical_Switch', 'name', `external_ids:mooring\\:name=red`))[0]!;
      expect(await ovn.trace(redSwitch, tcp({ lsp: after }, { lsp: await lspOn(b, 'red') }, 80))).toEqual({
        kind: 'delivered',
        to: [(await lspOn(b, 'red')).name],
      });
      await ctl('machine', 'release', c.hostname);
      await world.statuses.waitFor(c.hostname, 'READY');
      expect(await lspsOf(c)).toEqual([]);
    },
  );

  it('fails the deploy when ovn-controller is down: the message, power restored, no LSP left', { timeout: 60_000 }, async () => {
    await c.chassis.stopController();
    try {
      await c.host.bmc.clearCalls();
      await ctl('machine', 'allocate', '--name', c.hostname);
      const watch = await moorctl(['machine', 'deploy', c.hostname, '--network', 'blue', '--watch'], env);
      expect(watch.code).toBe(1);
      expect(watch.stdout).toContain(`OVN did not claim port pf0vf0 on smartNIC ${c.host.agentName} within ${PORT_ACTIVE_S} s`);
      expect(await status(c.hostname)).toBe('FAILED_DEPLOYMENT');
      expect(await c.host.bmc.sets()).toEqual(['set boot bios', 'set power 1', 'set power 0']);
      expect(await c.host.bmc.power()).toBe('off');
      expect(await lspsOf(c)).toEqual([]);
    } finally {
      await c.chassis.startController();
    }
    await ctl('machine', 'release', c.hostname);
    await world.statuses.waitFor(c.hostname, 'READY');
  });

  it('survives NB killed mid-deploy: the deploy completes with exactly one LSP for the port', { timeout: 60_000 }, async () => {
    await c.host.bmc.clearCalls();
    await ctl('machine', 'allocate', '--name', c.hostname);
    const since = await lastEventSeq();
    const deploy = moorctl(['machine', 'deploy', c.hostname, '--network', 'blue', '--watch'], env);
    await c.host.bmc.waitForCall((call) => call.text === 'set power 1', 'BIOS-halt power-on');
    await ovn.killNb();
    // The attach step begins once the smartNIC's agent is back (wait-agents done): it runs into the dead NB.
    await waitForStep(c.hostname, 'wait-agents', since);
    const restartedAt = Date.now();
    await ovn.restartNb();
    const r = await deploy;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // The attach step began while NB was dead and could only finish once NB was back.
    expect((await stepDone(c.hostname, 'wait-agents')).doneAt).toBeLessThanOrEqual(restartedAt);
    expect((await stepDone(c.hostname, 'attach')).doneAt).toBeGreaterThanOrEqual(restartedAt);
    expect(await status(c.hostname)).toBe('DEPLOYED');
    const lsps = await lspsOf(c);
    expect(lsps).toHaveLength(1);
    expect(lsps[0]).toMatchObject({ mac: c.mac });
    expect(await bindingChassis(lsps[0]!.name)).toBe(c.chassis.name);
    await ctl('machine', 'release', c.hostname);
    await world.statuses.waitFor(c.hostname, 'READY');
    expect(await lspsOf(c)).toEqual([]);
  });

  it('coordinator kill -9 between attach and ports: restarted, it finishes with exactly one LSP', { timeout: 60_000 }, async () => {
    await c.host.bmc.clearCalls();
    await ctl('machine', 'allocate', '--name', c.hostname);
    await world.arm('after:attach');
    const exited = world.coord.exited;
    await moorctl(['machine', 'deploy', c.hostname, '--network', 'blue'], env); // may be cut off by the crash
    expect(await exited).toBeNull();
    expect(await lspsOf(c)).toHaveLength(1); // attached, and then the process died
    await world.arm('');
    await world.startCoordinator();
    await world.statuses.waitFor(c.hostname, 'DEPLOYED');
    const lsps = await lspsOf(c);
    expect(lsps).toHaveLength(1);
    expect(await ovn.nbctl('get', 'Logical_Switch_Port', lsps[0]!.name, 'up')).toBe('true');
    expect(await bindingChassis(lsps[0]!.name)).toBe(c.chassis.name);
    expect((await c.host.bmc.sets()).filter((s) => s.startsWith('set power'))).toEqual(['set power 1', 'set power 0', 'set power 1']);
  });

  it('releasing every machine leaves no LSP of this fleet in NB', { timeout: 60_000 }, async () => {
    expect(await ovn.nbFind('Logical_Switch_Port', 'name', `external_ids:mooring\\:owner=${OWNER}`)).toHaveLength(3);
    await Promise.all([a, b, c].map((m) => ctl('machine', 'release', m.hostname)));
    for (const m of [a, b, c]) await world.statuses.waitFor(m.hostname, 'READY');
    expect(await ovn.nbFind('Logical_Switch_Port', 'name', `external_ids:mooring\\:owner=${OWNER}`)).toEqual([]);
    expect(await ovn.sbctl('--bare', '--columns=logical_port', 'find', 'Port_Binding', `external_ids:mooring\\:owner=${OWNER}`)).toBe('');
  });
});
