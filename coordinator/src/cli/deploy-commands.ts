// moorctl machine deploy|bind-network|unbind-network [--watch]: start a BIOS-halt sequence and,
// with --watch, follow its steps live until the machine settles; exit non-zero on failure.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CoordinatorClient } from '../client/coordinator-client.js';
import type { Machine__Output } from '../../../proto/generated/index.js';
import { collect, withClient } from './command-context.js';
import { emit, MACHINE_HEADERS, machineRow, type Output } from './output.js';
import { stepDisplay } from './step-display.js';

/** Follows the machine's events from `sinceSeq` until its sequence ends; true when it succeeded. */
async function watch(client: CoordinatorClient, out: Output, machineId: string, sinceSeq: number): Promise<boolean> {
  const display = await stepDisplay(out, process.stderr.isTTY === true);
  const { events, cancel } = client.watchEvents({ machine: machineId, sinceSeq });
  try {
    for await (const e of events) {
      display.event(e);
      if (e.kind === 'machine.transition' && (e.toStatus === 'DEPLOYED' || e.toStatus === 'READY')) return true;
      if (e.kind === 'machine.transition' && (e.toStatus === 'FAILED_DEPLOYMENT' || e.toStatus === 'BROKEN')) return false;
      if (e.kind === 'sequence.failed') return false;
      if (e.kind === 'sequence.step' && e.details?.['next'] === 'done') return true;
    }
    return false;
  } finally {
    display.stop();
    cancel();
  }
}

async function startAndWatch(
  command: Command,
  watchIt: boolean,
  start: (client: CoordinatorClient) => Promise<Machine__Output>,
): Promise<void> {
  await withClient(command, async (client, out) => {
    const { lastSeq } = await client.call('EventService', 'ListEvents', { limit: 1, sinceSeq: Number.MAX_SAFE_INTEGER });
    const machine = await start(client);
    if (!watchIt) return emit(out, machine, MACHINE_HEADERS, [machineRow(machine)]);
    const ok = await watch(client, out, machine.id, lastSeq);
    const final = await client.call('MachineService', 'GetMachine', { machine: machine.id });
    if (!out.json)
      out.write(
        `${final.hostname} is ${final.status.replace('MACHINE_STATUS_', '')}${final.statusReason ? `: ${final.statusReason}` : ''}\n`,
      );
    if (!ok) process.exitCode = 1;
  });
}

interface NetworkOptions {
  network?: string;
  securityGroup?: string[];
}

function networkFields(o: NetworkOptions): { network: string; securityGroups: string[] } {
  return { network: o.network ?? '', securityGroups: o.securityGroup ?? [] };
}

interface ImageOptions {
  image?: string;
  userData?: string;
  sshKey?: string[];
}

/** The image fields of a deploy, the files read here (the keys: every non-empty, non-comment line). */
async function imageFields(o: ImageOptions): Promise<{ image: string; userData: string; sshKeys: string[] }> {
  const read = async (file: string, what: string): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`${what} ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const userData = o.userData ? await read(o.userData, '--user-data') : '';
  const sshKeys: string[] = [];
  for (const file of o.sshKey ?? [])
    for (const line of (await read(file, '--ssh-key')).split('\n').map((l) => l.trim()))
      if (line !== '' && !line.startsWith('#')) sshKeys.push(line);
  return { image: o.image ?? '', userData, sshKeys };
}

export function addDeployCommands(machine: Command): void {
  machine
    .command('power-confirm <machine> <action>')
    .description('manual power: confirm you did what the coordinator asked (on, off or boot; admin)')
    .action(async (ref: string, action: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        const m = await client.call('DeploymentService', 'ConfirmPower', { machine: ref, action });
        if (out.json) return emit(out, m, MACHINE_HEADERS, [machineRow(m)]);
        out.write(`confirmed ${action} for ${m.hostname}\n`);
      }),
    );

  machine
    .command('deploy <machine>')
    .description('deploy an allocated machine: bind its smartNIC ports with the host halted in BIOS setup, then boot the deploy device')
    .option('--boot <device>', 'deploy boot device: pxe, disk or cdrom', 'pxe')
    .option('--network <name>', 'attach the smartNIC ports to this tenant network (OVN)')
    .option('--security-group <name>', 'a security group for the attached ports (repeatable; needs --network)', collect)
    .option('--image <name>', 'write this image (moorctl image): netboot the ramdisk on provisioning, then boot the disk (needs --network)')
    .option('--user-data <file>', 'cloud-init user-data for the image (#cloud-config; needs --image)')
    .option('--ssh-key <file>', 'a file of SSH public keys, one a line, for the image (repeatable; needs --image)', collect)
    .option('--watch', 'follow the steps until the machine is DEPLOYED or FAILED_DEPLOYMENT')
    .action(async (ref: string, o: NetworkOptions & ImageOptions & { boot: string; watch?: boolean }, command: Command) =>
      startAndWatch(command, o.watch === true, async (client) =>
        client.call('DeploymentService', 'DeployMachine', {
          machine: ref,
          bootDevice: o.boot,
          ...networkFields(o),
          ...(await imageFields(o)),
        }),
      ),
    );
  for (const [name, method, verb] of [
    ['bind-network', 'BindNetwork', 'bind'],
    ['unbind-network', 'UnbindNetwork', 'unbind'],
  ] as const) {
    machine
      .command(`${name} <machine>`)
      .description(`${verb} the machine's smartNIC ports now (BIOS-halt power-on if it is off; admin)`)
      .option(
        '--network <name>',
        verb === 'bind' ? 'attach the ports to this tenant network, moving them off any other' : 'the tenant network the ports leave',
      )
      .option('--security-group <name>', 'a security group for the attached ports (repeatable; needs --network)', collect)
      .option('--watch', 'follow the steps until the sequence ends')
      .action(async (ref: string, o: NetworkOptions & { watch?: boolean }, command: Command) =>
        startAndWatch(command, o.watch === true, (client) =>
          client.call('DeploymentService', method, { machine: ref, ...networkFields(o) }),
        ),
      );
  }
}
