// Machines on tenant networks through the BIOS-halt sequence, end to end through moorctl: a real
// coordinator (in-process, real gRPC and TLS) whose NetworkFabric is the simulation
// (test/harness/simulated-fabric.ts), simulated hosts (ipmi_sim BMC, a smartNIC with real
// ovsdb-server + ovs-vswitchd and a real agent), and a simulated ovn-controller that claims an LSP
// when the smartNIC's OVS names it as an iface-id. Asserted from OVS, the BMC's call log, the
// fabric and the coordinator's store.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import { portUuid } from '../../coordinator/src/machines/port-id.js';
import { ipmiDriver } from '../../coordinator/src/power/ipmi/ipmi-driver.js';
import { PowerDrivers } from '../../coordinator/src/power/power-driver.js';
import type { PortAttachment } from '../../coordinator/src/networks/fabric.js';
import type { NetworkAttachment } from '../../coordinator/src/networks/network-records.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { SimulatedFabric } from '../harness/simulated-fabric.js';
import { SimulatedHost } from '../harness/simulated-host.js';
import { SimulatedOvnController } from '../harness/simulated-ovn-controller.js';
import { enlistBehindSmartNic, MachineStatuses } from '../harness/smartnic-machine.js';

const PORT_ACTIVE_MS = 3000;
let f: CoordinatorFixture;
let fabric: SimulatedFabric;
let env: Record<string, string>;
let n = 0;
const statuses = new MachineStatuses(() => f);
const hosts: SimulatedHost[] = [];
const controllers: SimulatedOvnController[] = [];

interface Setup {
  host: SimulatedHost;
  hostname: string;
  machineId: string;
  mac: string;
  /** Its simulated ovn-controller, when it has one. */
  controller?: SimulatedOvnController;
}

async function ctl(...args: string[]): Promise<string> {
  const r = await moorctl(args, env);
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A host behind a smartNIC (port pf0vf0 on every one), enlisted, commissioned and allocated. */
async function machine(power: 'on' | 'off', options: { ovn?: boolean; controller?: boolean } = {}): Promise<Setup> {
  const k = ++n;
  const agentName = `dpu-${n}`;
  const hostname = `net-node-${n}`;
  const mac = `52:54:00:00:30:${n.toString(16).padStart(2, '0')}`;
  const { token } = await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', {
    name: agentName,
    role: 'smartnic',
    ttlSeconds: 3600,
  });
  const ovn = options.ovn === false ? {} : { ovn: { remote: 'tcp:127.0.0.1:6642', chassis: `chassis-${k}` } };
  const host = await SimulatedHost.start({
    agentName,
    dir: path.join(f.dataDir, 'hosts', hostname),
    coordinator: f.address,
    caPem: f.caPem,
    token,
    power,
    ...ovn,
  });
  hosts.push(host);
  const controller =
    options.controller !== false && options.ovn !== false ? await SimulatedOvnController.start(host.ovs, fabric) : undefined;
  if (controller) controllers.push(controller);
  const machineId = await enlistBehindSmartNic(env, statuses, host, { hostname, mac, agentName, cores: 8, memory: '16G' });
  await ctl('machine', 'allocate', '--name', hostname);
  return { host, hostname, machineId, mac, ...(controller ? { controller } : {}) };
}

const status = (hostname: string): Promise<string> => statuses.of(hostname);

function attachmentsOf(machineId: string): NetworkAttachment[] {
  return [...f.coordinator.store.tables.networkAttachments.getRange({})]
    .map(({ value }) => value as NetworkAttachment)
    .filter((a) => a.machineId === machineId);
}

function lspsOf(machineId: string): string[] {
  return [...fabric.ports.values()].filter((p) => p.machineId === machineId).map((p) => p.lspName);
}

async function ifaceId(host: SimulatedHost): Promise<string> {
  return (await host.ovs.vsctl('get', 'Interface', 'pf0vf0', 'external_ids:iface-id')).replace(/^"(.*)"$/, '$1');
}

beforeAll(async () => {
  fabric = new SimulatedFabric();
  // ipmitool run in-process: the default drivers' process launcher needs the built dist/ tree.
  f = await startCoordinator({
    networkFabric: fabric,
    powerDrivers: new PowerDrivers([ipmiDriver({ logger: createLogger('silent') })]),
    flags: {
      heartbeatIntervalMs: 1000,
      heartbeatDeadlineMs: 5000,
      agentSessionTimeoutMs: 20_000,
      portActiveTimeoutMs: PORT_ACTIVE_MS,
    },
  });
  const caFile = path.join(f.dataDir, 'client-ca.pem');
  await writeFile(caFile, f.caPem);
  env = {
    MOORING_COORDINATOR: f.address,
    MOORING_TOKEN: f.adminToken,
    MOORING_CA: caFile,
  };
  await ctl('network', 'create', 'blue', '--cidr', '10.0.5.0/24');
  await ctl('network', 'create', 'green', '--cidr', '10.0.6.0/24');
  await ctl('security-group', 'create', 'web');
  // The hosts start side by side: most of their start-up is waiting on daemons.
  [deployed, unclaimed, twin, moving] = await Promise.all([
    machine('off'),
    machine('off', { controller: false }),
    machine('on'),
    machine('on'),
  ]);
}, 90_000);

afterAll(async () => {
  statuses.close();
  for (const c of controllers) c.stop();
  for (const h of hosts) await h.stop();
  await f?.close();
});

let deployed: Setup;
let unclaimed: Setup;
let twin: Setup;
let moving: Setup;

describe('machines on tenant networks', () => {
  it(
    'deploys on a network: LSP with the MAC and an IP, iface-id = LSP name, OVN up before the final power-on',
    { timeout: 60_000 },
    async () => {
      const { host, hostname, machineId, mac } = deployed;
      const watch = await moorctl(['machine', 'deploy', hostname, '--network', 'blue', '--security-group', 'web', '--watch'], env);
      expect(watch.stderr).toBe('');
      expect(watch.code).toBe(0);
      expect(watch.stdout).toMatch(/ok .* attach the smartNIC ports to the tenant network/);
      expect(watch.stdout).toMatch(/ok .* wait until OVN reports each port up/);
      const [attachment, ...more] = attachmentsOf(machineId);
      expect(more).toEqual([]);
      const web = f.coordinator.networks.securityGroups.byName('web')!;
      expect(attachment).toMatchObject({
        networkId: f.coordinator.networks.networks.byName('blue')!.id,
        portId: portUuid(machineId, mac),
        mac,
        ip: '10.0.5.2',
        securityGroupIds: [web.id],
      });
      expect(attachment!.lspName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
      expect(fabric.ports.get(attachment!.lspName)).toMatchObject({
        mac,
        ip: '10.0.5.2',
        machineId,
        securityGroupIds: [web.id],
      });
      expect(await ifaceId(host)).toBe(attachment!.lspName);
      // The chassis saw BIOS-halt, power-on, then (only after OVN claimed the port) the deploy boot.
      const calls = (await host.bmc.calls()).filter((c) => c.text.startsWith('set '));
      expect(calls.map((c) => c.text)).toEqual(['set boot bios', 'set power 1', 'set boot pxe', 'set power 0', 'set power 1']);
      const claimedAt = controllers.find((c) => c.claimed.has(attachment!.lspName))!.claimedAt.get(attachment!.lspName)!;
      expect(claimedAt).toBeLessThanOrEqual(calls[2]!.atMs);
      expect(claimedAt).toBeGreaterThanOrEqual(calls[1]!.atMs);
      // The events name the attach, in the machine's log.
      const events = JSON.parse(await ctl('--json', 'events', 'list', '--machine', hostname)) as {
        events: { kind: string; details: Record<string, string> }[];
      };
      expect(events.events.filter((e) => e.kind === 'network.attached').map((e) => e.details)).toEqual([
        expect.objectContaining({
          network: 'blue',
          lsp: attachment!.lspName,
          mac,
          ip: '10.0.5.2',
          port: 'pf0vf0',
        }) as unknown,
      ]);
      // machine show: the port's network, LSP, IP and OVN state.
      const shown = await ctl('machine', 'show', hostname);
      expect(shown).toMatch(
        new RegExp(`pf0vf0 +dpu-\\d+ +${mac} +blue +${attachment!.lspName} +10\\.0\\.5\\.2 +web +up on chassis chassis-\\d+`),
      );
      const json = JSON.parse(await ctl('--json', 'machine', 'show', hostname)) as { portNetworks: unknown[] };
      expect(json.portNetworks).toEqual([
        expect.objectContaining({
          network: 'blue',
          lsp: attachment!.lspName,
          ip: '10.0.5.2',
          ovnState: 'up',
          ovnChassis: expect.stringMatching(/^chassis-/) as unknown,
        }),
      ]);
      // network show reads the attachment.
      expect(await ctl('--json', 'network', 'show', 'blue')).toContain(machineId);
    },
  );

  it('moves a deployed machine to another network: new LSP, rebound, the old one gone', { timeout: 60_000 }, async () => {
    const { host, hostname, machineId } = deployed;
    const before = attachmentsOf(machineId)[0]!;
    await host.bmc.clearCalls();
    const bind = await moorctl(['machine', 'bind-network', hostname, '--network', 'green', '--watch'], env);
    expect(bind.code).toBe(0);
    const after = attachmentsOf(machineId);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      networkId: f.coordinator.networks.networks.byName('green')!.id,
      ip: '10.0.6.2',
      securityGroupIds: [],
    });
    expect(after[0]!.lspName).not.toBe(before.lspName);
    expect(lspsOf(machineId)).toEqual([after[0]!.lspName]);
    expect(await ifaceId(host)).toBe(after[0]!.lspName);
    expect(await host.bmc.sets()).toEqual([]); // on and deployed: no power change
    // blue's address went back: the next machine on blue gets it.
    expect(f.coordinator.store.tables.networkPortAddresses.get([before.networkId, before.portId])).toBeUndefined();
    expect(await status(hostname)).toBe('DEPLOYED');
  });

  it('releases: unbound, no attachment, no LSP, no address', { timeout: 60_000 }, async () => {
    const { host, hostname, machineId } = deployed;
    const portId = attachmentsOf(machineId)[0]!.portId;
    await ctl('machine', 'release', hostname);
    await statuses.waitFor(hostname, 'READY');
    expect(attachmentsOf(machineId)).toEqual([]);
    expect(lspsOf(machineId)).toEqual([]);
    expect(
      f.coordinator.store.tables.networkPortAddresses.get([f.coordinator.networks.networks.byName('green')!.id, portId]),
    ).toBeUndefined();
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('');
    const kinds = (JSON.parse(await ctl('--json', 'events', 'list', '--machine', hostname)) as { events: { kind: string }[] }).events.map(
      (e) => e.kind,
    );
    expect(kinds.filter((k) => k.startsWith('network.'))).toEqual([
      'network.attached',
      'network.attached',
      'network.detached',
      'network.detached',
    ]);
  });

  it('fails the deploy when OVN never claims the port: the message, power restored, attachment gone', { timeout: 60_000 }, async () => {
    const { host, hostname, machineId } = unclaimed;
    const watch = await moorctl(['machine', 'deploy', hostname, '--network', 'blue', '--watch'], env);
    expect(watch.code).toBe(1);
    const message = `OVN did not claim port pf0vf0 on smartNIC ${host.agentName} within ${PORT_ACTIVE_MS / 1000} s`;
    expect(watch.stdout).toContain(`wait until OVN reports each port up failed: ${message}`);
    const m = JSON.parse(await ctl('--json', 'machine', 'show', hostname)) as { status: string; statusReason: string };
    expect(m.status).toBe('MACHINE_STATUS_FAILED_DEPLOYMENT');
    expect(m.statusReason).toBe(`deploy failed at step wait-ovn (wait until OVN reports each port up): ${message}`);
    expect(await host.bmc.sets()).toEqual(['set boot bios', 'set power 1', 'set power 0']);
    expect(await host.bmc.power()).toBe('off');
    expect(attachmentsOf(machineId)).toEqual([]);
    expect(lspsOf(machineId)).toEqual([]);
    expect(fabric.callsOf('detachPort').length).toBeGreaterThan(0);
  });

  it(
    'two smartNICs whose representors share a name deploy without a network: their iface-ids differ (the port ids)',
    { timeout: 60_000 },
    async () => {
      // The machine released above, allocated again, and one that was never on a network.
      await ctl('machine', 'allocate', '--name', deployed.hostname);
      const [a, b] = [twin, deployed];
      for (const r of await Promise.all([a, b].map((m) => moorctl(['machine', 'deploy', m.hostname, '--watch'], env))))
        expect(r.code, r.stdout).toBe(0);
      expect(await ifaceId(a.host)).toBe(portUuid(a.machineId, a.mac));
      expect(await ifaceId(b.host)).toBe(portUuid(b.machineId, b.mac));
      expect(await ifaceId(a.host)).not.toBe(await ifaceId(b.host));
      expect(attachmentsOf(a.machineId)).toEqual([]);
      const shown = await ctl('machine', 'show', a.hostname);
      expect(shown).toMatch(new RegExp(`pf0vf0 +dpu-\\d+ +${a.mac} +- +- \\(iface-id ${portUuid(a.machineId, a.mac)}\\)`));
    },
  );

  it(
    'a move whose new port OVN never claims fails and puts the machine back on its old network, as it was',
    { timeout: 60_000 },
    async () => {
      const { host, hostname, machineId, mac, controller } = moving;
      const deploy = await moorctl(['machine', 'deploy', hostname, '--network', 'blue', '--watch'], env);
      expect(deploy.code, deploy.stdout).toBe(0);
      const before = attachmentsOf(machineId);
      expect(before).toHaveLength(1);
      const onBlue = before[0]!;
      expect(await ifaceId(host)).toBe(onBlue.lspName);
      // Its ovn-controller stops: blue's port stays claimed, green's new one never will be.
      controller!.stop();
      const green = f.coordinator.networks.networks.byName('green')!;
      const bind = await moorctl(['machine', 'bind-network', hostname, '--network', 'green', '--watch'], env);
      expect(bind.code).toBe(1);
      const message = `OVN did not claim port pf0vf0 on smartNIC ${host.agentName} within ${PORT_ACTIVE_MS / 1000} s`;
      expect(bind.stdout).toContain(`wait until OVN reports each port up failed: ${message}`);
      expect(bind.stdout).toContain(`bind failed at step wait-ovn (wait until OVN reports each port up): ${message}\n`);
      // The move got as far as rebinding the port to green's new LSP before OVN let it down.
      expect(bind.stdout).toMatch(/ok .* bind the smartNIC ports and wait until they are active/);
      const greenLsp = fabric
        .callsOf('attachPort')
        .map((c) => c.args[0] as PortAttachment)
        .find((a) => a.machineId === machineId && a.networkId === green.id)!.lspName;
      expect(fabric.callsOf('detachPort').map((c) => c.args[0])).toContain(greenLsp);
      // Back on blue, exactly as before: the smartNIC names blue's LSP again, nothing of green is left.
      expect(await ifaceId(host)).toBe(onBlue.lspName);
      expect(attachmentsOf(machineId)).toEqual([onBlue]);
      expect(lspsOf(machineId)).toEqual([onBlue.lspName]);
      expect(f.coordinator.store.tables.networkPortAddresses.get([green.id, onBlue.portId])).toBeUndefined();
      expect(await status(hostname)).toBe('DEPLOYED');
      const json = JSON.parse(await ctl('--json', 'machine', 'show', hostname)) as { portNetworks: unknown[] };
      expect(json.portNetworks).toEqual([expect.objectContaining({ network: 'blue', lsp: onBlue.lspName, ip: onBlue.ip, ovnState: 'up' })]);
      expect(await ctl('machine', 'show', hostname)).toMatch(new RegExp(`pf0vf0 +dpu-\\d+ +${mac} +blue +${onBlue.lspName} `));
    },
  );
});
