// End-to-end setup shared by the BIOS-halt and network tests: a SimulatedHost's machine enlisted
// with moorctl (IPMI power, one smartNIC port) and commissioned, and an in-process view of machine
// statuses for the waits, over one gRPC connection (admin-connection.ts).
import { AdminConnection, type CoordinatorTarget } from './admin-connection.js';
import { moorctl } from './moorctl-process.js';
import { waitFor } from './ovs.js';
import type { SimulatedHost } from './simulated-host.js';

export type { CoordinatorTarget } from './admin-connection.js';

/** Machine statuses read as admin over one connection, rebuilt when the coordinator went away. */
export class MachineStatuses {
  private readonly connection: AdminConnection;

  constructor(target: CoordinatorTarget) {
    this.connection = new AdminConnection(target);
  }

  /** The machine's status without its prefix ('READY'), or '' while the coordinator does not answer. */
  async of(machine: string): Promise<string> {
    const shown = await this.connection.ask((client) => client.call('MachineService', 'GetMachine', { machine }));
    return shown ? shown.status.replace('MACHINE_STATUS_', '') : '';
  }

  /** Waits until the machine shows `status`; a timeout names the status it had and `detail()`. */
  async waitFor(machine: string, status: string, timeoutMs = 30_000, detail?: () => Promise<string>): Promise<void> {
    let last = '';
    await waitFor(
      async () => {
        last = await this.of(machine);
        return last === status;
      },
      timeoutMs,
      `${machine} ${status}`,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message} (it is ${last || 'unreachable'})${detail ? `: ${await detail()}` : ''}`);
    });
  }

  close(): void {
    this.connection.close();
  }
}

export interface SmartNicMachine {
  readonly hostname: string;
  readonly mac: string;
  readonly agentName: string;
  /** The smartNIC port (representor) name; default pf0vf0. */
  readonly port?: string;
  readonly cores?: number;
  readonly memory?: string;
}

/**
 * Enlists the host's machine with `moorctl machine enlist --commission` (IPMI power from the
 * host's BMC, the password through the environment, one smartNIC port, pf0vf0 unless named, on the agent) and
 * waits until commissioning made it READY. Returns the machine id.
 */
export async function enlistBehindSmartNic(
  env: Record<string, string>,
  statuses: MachineStatuses,
  host: SimulatedHost,
  m: SmartNicMachine,
): Promise<string> {
  const enlist = await moorctl(
    [
      '--json',
      'machine',
      'enlist',
      '--hostname',
      m.hostname,
      '--cores',
      String(m.cores ?? 4),
      '--memory',
      m.memory ?? '8G',
      '--power-driver',
      'ipmi',
      '--power-address',
      host.bmc.address,
      '--power-user',
      host.bmc.user,
      '--port',
      `${m.mac},smartnic,${m.agentName},${m.port ?? 'pf0vf0'}`,
      '--commission',
    ],
    { ...env, MOORING_POWER_PASSWORD: host.bmc.password },
  );
  if (enlist.code !== 0) throw new Error(`moorctl machine enlist ${m.hostname}: ${enlist.stderr}`);
  const machineId = (JSON.parse(enlist.stdout) as { id: string }).id;
  await statuses.waitFor(m.hostname, 'READY', 30_000, async () => (await moorctl(['machine', 'show', m.hostname], env)).stdout);
  return machineId;
}
