// The BIOS-halt sequence end to end: a coordinator process, simulated hosts (ipmi_sim BMC, and a
// smartNIC with real ovsdb-server + ovs-vswitchd whose agent boots with host power), through
// moorctl. Asserted from the chassis program's log and from OVS itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moorctl } from '../harness/coordinator-cli.js';
import { SmartNicWorld } from '../harness/smartnic-world.js';
import type { SimulatedHost } from '../harness/simulated-host.js';
import { waitFor } from '../harness/ovs.js';
import { portUuid } from '../../coordinator/src/machines/port-id.js';

const AGENT_SESSION_TIMEOUT_MS = 10_000;
let world: SmartNicWorld;
let env: Record<string, string>;
let n = 0;
const ctl = (...args: string[]): Promise<string> => world.ctl(...args);

interface Setup {
  host: SimulatedHost;
  hostname: string;
  machineId: string;
}

/** A simulated host with a smartNIC port, enlisted, commissioned and allocated. */
async function machineBehindSmartNic(power: 'on' | 'off', options: { deadSmartNic?: boolean } = {}): Promise<Setup> {
  n++;
  const hostname = `node-${n}`;
  const { host, machineId } = await world.machine({
    agentName: `dpu-${n}`,
    hostname,
    mac: `52:54:00:00:10:${n.toString(16).padStart(2, '0')}`,
    power,
    ...options,
    cores: 8,
    memory: '16G',
  });
  await ctl('machine', 'allocate', '--name', hostname);
  return { host, hostname, machineId };
}

async function portIds(host: SimulatedHost): Promise<Record<string, string>> {
  const raw = await host.ovs.vsctl('get', 'Interface', 'pf0vf0', 'external_ids');
  return Object.fromEntries([...raw.matchAll(/([\w-]+)="?([^",}]+)"?/g)].map((m) => [m[1]!, m[2]!]));
}

beforeAll(async () => {
  // A smartNIC agent comes back within seconds; the dead one's test waits the whole bound out.
  world = await SmartNicWorld.start({ name: 'bioshalt', portActiveTimeoutMs: 20_000, agentSessionTimeoutMs: AGENT_SESSION_TIMEOUT_MS });
  env = world.env;
});

afterAll(async () => {
  await world?.stop();
});

describe('BIOS-halt deploy', () => {
  it('powers an off host on into BIOS setup, binds the port after the agent came back, then boots the deploy device', async () => {
    const { host, hostname, machineId } = await machineBehindSmartNic('off');
    expect(await host.bmc.power()).toBe('off');
    const watch = await moorctl(['machine', 'deploy', hostname, '--watch'], env);
    expect(watch.stderr).toBe('');
    expect(watch.code).toBe(0);
    expect(watch.stdout).toMatch(/ok .* set the next boot to BIOS setup \(once\) \(\d+\.\ds\)/);
    expect(watch.stdout).toMatch(/ok .* power on into BIOS setup/);
    expect(watch.stdout).toMatch(/ok .* bind the smartNIC ports and wait until they are active/);
    expect(watch.stdout).toMatch(/DEPLOYING -> DEPLOYED/);
    expect(watch.stdout.trim().split('\n').at(-1)).toBe(`${hostname} is DEPLOYED`);
    // The chassis saw: boot bios before power on; then the deploy boot device and a power cycle.
    expect(await host.bmc.sets()).toEqual(['set boot bios', 'set power 1', 'set boot pxe', 'set power 0', 'set power 1']);
    expect(await host.bmc.power()).toBe('on');
    // The sequence reads the power once, at the start: before its power on, off and on it knows
    // the state it found or set itself (no `get power` from boot bios to power on, nor from boot
    // pxe to the last power on; the long wait for the agent in between is left out, where the
    // coordinator's periodic power sync may read).
    const calls = (await host.bmc.calls()).map((c) => c.text);
    const reads = (from: number, to: number): string[] => calls.slice(from, to).filter((c) => c === 'get power');
    const pxe = calls.indexOf('set boot pxe');
    expect(reads(calls.indexOf('set boot bios'), calls.indexOf('set power 1'))).toEqual([]);
    expect(reads(pxe, calls.lastIndexOf('set power 1'))).toEqual([]);
    expect(calls.slice(0, calls.indexOf('set boot bios'))).toContain('get power');
    // The port is on br-int with the right external_ids...
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('pf0vf0');
    // iface-id is Mooring's port id (unique across the fleet), not the representor name.
    const mac = (JSON.parse(await ctl('--json', 'machine', 'show', hostname)) as { ports: { mac: string }[] }).ports[0]!.mac;
    expect(await portIds(host)).toMatchObject({
      'iface-id': portUuid(machineId, mac),
      'iface-status': 'active',
      'vm-uuid': machineId,
      'mooring-owned': 'true',
      'attached-mac': expect.stringMatching(/^52:54:00:00:10:/) as string,
    });
    // ...and was bound only after the agent's new session: the agent booted after the power-on.
    const events = JSON.parse(await ctl('--json', 'events', 'list', '--machine', hostname)) as {
      events: { kind: string; details: Record<string, string>; time: string }[];
    };
    const poweredOn = events.events.find((e) => e.kind === 'sequence.step' && e.details['step'] === 'power-on');
    const bound = events.events.find((e) => e.kind === 'sequence.step' && e.details['step'] === 'ports');
    expect(poweredOn && bound && Date.parse(poweredOn.time) <= Date.parse(bound.time)).toBe(true);
    // The smartNIC booted three times: enrolment, the BIOS-halt power-on, and the deploy power cycle.
    await waitFor(
      async () => {
        const agent = JSON.parse(await ctl('--json', 'agent', 'show', host.agentName)) as { epoch: number; state: string };
        return agent.state === 'ONLINE' && agent.epoch >= 3;
      },
      30_000,
      'the agent back after the deploy power cycle',
    ).catch(async (e: Error) => {
      throw new Error(
        `${e.message}; boots ${host.boots.length}; errors ${host.errors.join('; ')}; calls ${JSON.stringify(await host.bmc.sets())}`,
      );
    });
    expect(host.boots).toHaveLength(3);
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('pf0vf0');
  });

  it('on a host that is already on: no BIOS-halt; bind-network changes neither boot device nor power', async () => {
    const { host, hostname } = await machineBehindSmartNic('on');
    const bind = await moorctl(['machine', 'bind-network', hostname, '--watch'], env);
    expect(bind.code).toBe(0);
    expect(await host.bmc.sets()).toEqual([]);
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('pf0vf0');
    const deploy = await moorctl(['machine', 'deploy', hostname, '--watch'], env);
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).not.toMatch(/BIOS/);
    // Deploying still boots the deploy device: a cycle, but no BIOS-halt power-on.
    expect(await host.bmc.sets()).toEqual(['set boot pxe', 'set power 0', 'set power 1']);
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('pf0vf0');
  });

  it('fails the deployment when the smartNIC never comes back, with power restored and the reason', async () => {
    const { host, hostname } = await machineBehindSmartNic('off', { deadSmartNic: true });
    const watch = await moorctl(['machine', 'deploy', hostname, '--watch'], env);
    expect(watch.code).toBe(1);
    expect(watch.stdout).toMatch(
      new RegExp(
        /FAIL .* wait for each smartNIC agent to open a new session failed: /.source +
          `agent dpu-\\d+ did not open a session newer than epoch 1 within ${AGENT_SESSION_TIMEOUT_MS} ms`,
      ),
    );
    expect(await host.bmc.sets()).toEqual(['set boot bios', 'set power 1', 'set power 0']);
    expect(await host.bmc.power()).toBe('off');
    const m = JSON.parse(await ctl('--json', 'machine', 'show', hostname)) as { status: string; statusReason: string };
    expect(m.status).toBe('MACHINE_STATUS_FAILED_DEPLOYMENT');
    expect(m.statusReason).toMatch(
      new RegExp(
        /^deploy failed at step wait-agents \(wait for each smartNIC agent to open a new session\): /.source +
          /agent dpu-\d+ did not open a session newer than epoch 1/.source,
      ),
    );
  });

  it('releases through the unbind sequence: port removed, host powered off', async () => {
    const { host, hostname } = world.hosts[0] ? { host: world.hosts[0], hostname: 'node-1' } : await machineBehindSmartNic('off');
    await host.bmc.clearCalls();
    await ctl('machine', 'release', hostname);
    await world.statuses.waitFor(hostname, 'READY');
    expect(await host.ovs.vsctl('list-ports', 'br-int')).toBe('');
    expect(await host.bmc.sets()).toEqual(['set power 0']);
  });
});
