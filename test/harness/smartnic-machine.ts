// End-to-end setup shared by the BIOS-halt and network tests: a SimulatedHost's machine enlisted
// with moorctl (IPMI power, one smartNIC port) and commissioned, and an in-process view of machine
// statuses for the waits. Polling through one gRPC connection costs a call per look; polling
// through moorctl would start a Node process per look, on the same two cores the daemons run on.
import { CoordinatorClient, isServiceError, statusName } from '../../coordinator/src/client/coordinator-client.js';
import { moorctl } from './moorctl-process.js';
import { waitFor } from './ovs.js';
import type { SimulatedHost } from './simulated-host.js';

/** Where a coordinator answers; a function, because a restarted coordinator is a new process. */
export type CoordinatorTarget = () => { readonly address: string; readonly caPem: string; readonly adminToken: string };

/** Machine statuses read as admin over one connection, rebuilt when the coordinator went away. */
export class MachineStatuses {
  private client: CoordinatorClient | undefined;

  constructor(private readonly target: CoordinatorTarget) {}

  /** The machine's status without its prefix ('READY'), or '' while the coordinator does not answer. */
  async of(machine: string): Promise<string> {
    const { address, caPem, adminToken } = this.target();
    if (this.client?.address !== address) this.reset();
    this.client ??= new CoordinatorClient({ address, caPem, token: adminToken, ownConnection: true, timeoutMs: 5_000 });
    try {
      const shown = await this.client.call('MachineService', 'GetMachine', { machine });
      return shown.status.replace('MACHINE_STATUS_', '');
    } catch (error) {
      if (!isServiceError(error) || statusName(error.code) !== 'UNAVAILABLE') throw error;
      // A killed coordinator: a new connection finds the next one without grpc-js's reconnect backoff.
      this.reset();
      return '';
    }
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
    this.reset();
  }

  private reset(): void {
    this.client?.close();
    this.client = undefined;
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
