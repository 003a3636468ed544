// N simulated bare-metal machines for the bench, each its own SimulatedHost (an ipmi_sim BMC, and
// a smartNIC with its own ovsdb-server + ovs-vswitchd and a mooring-agent that lives with host
// power), powered off, enlisted with ipmi power and one smartNIC port, commissioned and allocated.
// Hosts start a few at a time (each start boots and enrolls an agent, a node process); every host
// started, or still starting when a phase gives up, is stopped by stopAll().
import path from 'node:path';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { SimulatedHost } from '../../test/harness/simulated-host.js';
import { boundedEach, within } from './deadline.js';
import type { EventFollower } from './event-follower.js';

export const PORT_ID = 'pf0vf0';
/** Machine i is `${HOSTNAME_PREFIX}${i}`; its host's files live in <dir>/<hostname>/. */
export const HOSTNAME_PREFIX = 'bench-node-';

export interface FleetMachine {
  readonly index: number;
  readonly hostname: string;
  readonly agentName: string;
  readonly host: SimulatedHost;
  readonly machineId: string;
}

export interface FleetOptions {
  readonly client: CoordinatorClient;
  readonly events: EventFollower;
  readonly coordinator: { readonly address: string; readonly caPem: string };
  readonly dir: string;
  /** Hosts being set up at once. */
  readonly parallel: number;
  /** Bound on setting up one host (start, enlist, commission, allocate). */
  readonly perHostTimeoutMs: number;
  readonly progress: (line: string) => void;
}

export class HostFleet {
  readonly machines: FleetMachine[] = [];
  private readonly hosts: SimulatedHost[] = [];
  /** Host starts that a timeout gave up on: stopped once they finish. */
  private readonly abandoned: Promise<SimulatedHost | undefined>[] = [];

  constructor(private readonly o: FleetOptions) {}

  /** The processes of the simulated hardware running now: each host's BMC (ipmi_sim) and its smartNIC's OVS daemons. */
  hardwarePids(): number[] {
    return this.hosts.flatMap((host) => [host.bmc.pid, ...host.ovs.pids].filter((pid): pid is number => pid !== undefined));
  }

  /** Sets up `count` machines, `parallel` at a time; rejects on the first failure or overrun. */
  async setUp(count: number, timeoutMs: number): Promise<void> {
    const started = Date.now();
    await within(
      boundedEach(count, this.o.parallel, async (i) => {
        await within(this.setUpOne(i), this.o.perHostTimeoutMs, `setting up host ${i}`);
        const done = this.machines.length;
        if (done % 10 === 0 || done === count)
          this.o.progress(
            `${done}/${count} machines powered off, enlisted, commissioned and allocated (${((Date.now() - started) / 1000).toFixed(0)} s)`,
          );
      }),
      timeoutMs,
      `setting up ${count} hosts`,
    );
    this.machines.sort((a, b) => a.index - b.index);
  }

  private async setUpOne(i: number): Promise<void> {
    const { client, events } = this.o;
    const hostname = `${HOSTNAME_PREFIX}${i}`;
    const agentName = `bench-dpu-${i}`;
    const { token } = await client.call('AgentAdminService', 'CreateEnrollmentToken', {
      name: agentName,
      role: 'smartnic',
      ttlSeconds: 3600,
    });
    const starting = SimulatedHost.start({
      agentName,
      dir: path.join(this.o.dir, hostname),
      coordinator: this.o.coordinator.address,
      caPem: this.o.coordinator.caPem,
      token,
      power: 'off',
    });
    // If the per-host bound gives up on this start, the host it still makes must be stopped too.
    this.abandoned.push(starting.catch(() => undefined));
    const host = await starting;
    this.hosts.push(host);
    const mac = ['52:54:00', ...[i >> 16, i >> 8, i].map((b) => (b & 0xff).toString(16).padStart(2, '0'))].join(':');
    const machine = await client.call('MachineService', 'EnlistMachine', {
      hostname,
      arch: 'amd64',
      cores: 8,
      memoryMib: 16384,
      power: { driver: 'POWER_DRIVER_IPMI', address: host.bmc.address, user: host.bmc.user, password: host.bmc.password },
      ports: [{ mac, isSmartNic: true, smartNicAgentId: agentName, smartNicPortId: PORT_ID }],
      commission: true,
    });
    // Commissioning reads the power state through ipmitool, then moves the machine to READY.
    const commissioned = (): boolean => ['READY', 'FAILED_COMMISSIONING'].includes(events.statusOf(machine.id) ?? '');
    await events.until(commissioned, this.o.perHostTimeoutMs, `${hostname} commissioned`);
    const status = events.statusOf(machine.id);
    if (status !== 'READY') throw new Error(`${hostname} ended commissioning ${status}`);
    await this.allocate(hostname, machine.id);
    this.machines.push({ index: i, hostname, agentName, host, machineId: machine.id });
  }

  /** Allocates the machine by its hostname, which must give that machine. */
  async allocate(hostname: string, machineId: string): Promise<void> {
    const { machine } = await this.o.client.call('MachineService', 'AllocateMachine', { constraints: { name: hostname } });
    if (machine?.id !== machineId) throw new Error(`allocating ${hostname} gave ${machine?.hostname ?? 'nothing'}`);
  }

  /** Stops every host (agents, OVS daemons, ipmi_sim), `parallel` at a time, within timeoutMs. */
  async stopAll(parallel: number, timeoutMs: number): Promise<void> {
    const late = await within(Promise.all(this.abandoned), timeoutMs, 'host starts to settle').catch(() => []);
    const all = [...new Set([...this.hosts, ...late.filter((h): h is SimulatedHost => h !== undefined)])];
    const errors: string[] = [];
    await within(
      boundedEach(all.length, parallel, async (i) => {
        await all[i]!.stop().catch((err: unknown) => void errors.push(err instanceof Error ? err.message : String(err)));
      }),
      timeoutMs,
      `stopping ${all.length} hosts`,
    );
    if (errors.length > 0) throw new Error(`stopping hosts: ${errors.join('; ')}`);
  }
}
