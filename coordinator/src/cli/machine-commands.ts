// moorctl machine ..., reserve, unreserve (also spelled `machine reserve`, `machine unreserve`).
import { addDeployCommands } from './deploy-commands.js';
import { addDay2Commands } from './machine-day2-commands.js';
import { Command, Option } from 'commander';
import type { EnlistMachineRequest, Machine__Output, Port, PortNetwork__Output } from '../../../proto/generated/index.js';
import { collect, withClient } from './command-context.js';
import { addBmcOptions, bmcSettings, DEFAULT_BMC_SETTINGS, powerPassword, type BmcOptions } from './power-options.js';
import { UsageError } from './connection.js';
import { emit, MACHINE_HEADERS, machineDetails, machineRow, printJson, renderTable, type Output } from './output.js';
import { parseCount, parseMemoryMib, parsePairs } from './sizes.js';

const PORT_NETWORK_HEADERS = ['PORT', 'AGENT', 'MAC', 'NETWORK', 'LSP', 'IP', 'SECURITY GROUPS', 'OVN'];

function portNetworkRow(p: PortNetwork__Output): string[] {
  if (!p.network) return [p.port, p.agent, p.mac, '-', `- (iface-id ${p.portId})`, '-', '-', '-'];
  const ovn =
    p.ovnState === 'up' ? `up on chassis ${p.ovnChassis || '?'}` : p.ovnState === 'unknown' ? `unknown: ${p.ovnError}` : p.ovnState;
  return [p.port, p.agent, p.mac, p.network, p.lsp, p.ip || '-', p.securityGroups.join(', ') || '-', ovn];
}

function printMachine(out: Output, machine: Machine__Output): void {
  if (out.json) printJson(out, machine);
  else out.write(machineDetails(machine));
}

/** "MAC" or "MAC,smartnic,AGENT,PORT" */
function parsePort(text: string): Port {
  const [mac = '', kind, agent, port] = text.split(',');
  if (kind === undefined) return { mac };
  if (kind !== 'smartnic' || !agent || !port) throw new UsageError(`--port: expected MAC or MAC,smartnic,AGENT_ID,PORT_ID, got ${text}`);
  return { mac, isSmartNic: true, smartNicAgentId: agent, smartNicPortId: port };
}

interface EnlistOptions extends BmcOptions {
  hostname: string;
  arch: string;
  cores: string;
  memory: string;
  tag?: string[];
  pool?: string;
  zone?: string;
  powerDriver: string;
  powerAddress?: string;
  powerUser?: string;
  powerPasswordFile?: string;
  powerPasswordStdin?: boolean;
  powerPasswordRemoteFile?: string;
  bootMode: string;
  port?: string[];
  commission?: boolean;
}

interface ListOptions {
  status?: string;
  pool?: string;
  owner?: string;
  zone?: string;
  tag?: string[];
  reservedFor?: string;
}

export function machineCommands(): Command[] {
  const machine = new Command('machine').description('machines: enlist, list, allocate, release, ...');

  const enlist = machine
    .command('enlist')
    .description('enlist a machine (admin)')
    .requiredOption('--hostname <name>', 'hostname')
    .option('--arch <arch>', 'architecture', 'amd64')
    .requiredOption('--cores <n>', 'CPU cores')
    .requiredOption('--memory <size>', 'memory, e.g. 64G or 512M')
    .option('--tag <tag>', 'a tag (repeatable)', collect)
    .option('--pool <pool>', 'resource pool (default: default)')
    .option('--zone <zone>', 'zone (default: default)')
    .addOption(new Option('--power-driver <driver>', 'power driver').choices(['ipmi', 'redfish', 'lxd', 'manual']).default('manual'))
    .option('--power-address <address>', 'BMC address')
    .option('--power-user <user>', 'BMC user')
    .option('--power-password-file <file>', 'read the BMC password from this local file and send it')
    .option('--power-password-stdin', 'read the BMC password from standard input')
    .option('--power-password-remote-file <path>', "a file on the coordinator's host holding the BMC password")
    .addOption(new Option('--boot-mode <mode>', 'boot mode').choices(['uefi', 'legacy']).default('uefi'));
  addBmcOptions(enlist)
    .option('--port <spec>', 'a port: MAC, or MAC,smartnic,AGENT_ID,PORT_ID (repeatable)', collect)
    .option('--commission', 'commission right after enlisting')
    .addHelpText('after', '\nThe BMC password may also come from the MOORING_POWER_PASSWORD environment variable.')
    .action(async (options: EnlistOptions, command: Command) =>
      withClient(command, async (client, out) => {
        const request: EnlistMachineRequest = {
          hostname: options.hostname,
          arch: options.arch,
          cores: parseCount(options.cores, '--cores'),
          memoryMib: parseMemoryMib(options.memory, '--memory'),
          tags: options.tag ?? [],
          pool: options.pool ?? '',
          zone: options.zone ?? '',
          power: {
            driver: `POWER_DRIVER_${options.powerDriver.toUpperCase()}` as NonNullable<EnlistMachineRequest['power']>['driver'],
            address: options.powerAddress ?? '',
            user: options.powerUser ?? '',
            password: await powerPassword(options),
            passwordFile: options.powerPasswordRemoteFile ?? '',
            bootMode: options.bootMode === 'legacy' ? 'BOOT_MODE_LEGACY' : 'BOOT_MODE_UEFI',
            ...DEFAULT_BMC_SETTINGS,
            ...bmcSettings(options),
          },
          ports: (options.port ?? []).map(parsePort),
          commission: options.commission === true,
        };
        printMachine(out, await client.call('MachineService', 'EnlistMachine', request));
      }),
    );

  machine
    .command('list')
    .description('list the machines you can see')
    .option('--status <status>', 'only this status, e.g. READY')
    .option('--pool <pool>', 'only this pool')
    .option('--owner <user>', 'only machines owned by this user')
    .option('--zone <zone>', 'only this zone')
    .option('--tag <tag>', 'only machines with this tag (repeatable: all of them)', collect)
    .option('--reserved-for <holder>', 'only machines reserved for user:NAME, group:NAME or NAME; - for unreserved')
    .action(async (options: ListOptions, command: Command) =>
      withClient(command, async (client, out) => {
        const machines: Machine__Output[] = [];
        let pageToken = '';
        do {
          const page = await client.call('MachineService', 'ListMachines', {
            status: options.status
              ? (`MACHINE_STATUS_${options.status.toUpperCase()}` as Machine__Output['status'])
              : 'MACHINE_STATUS_UNSPECIFIED',
            pool: options.pool ?? '',
            owner: options.owner ?? '',
            zone: options.zone ?? '',
            tags: options.tag ?? [],
            reservedFor: options.reservedFor ?? '',
            pageToken,
          });
          machines.push(...page.machines);
          pageToken = page.nextPageToken;
        } while (pageToken);
        emit(out, { machines }, MACHINE_HEADERS, machines.map(machineRow));
      }),
    );

  const simple = (name: string, description: string, method: 'GetMachine' | 'CommissionMachine'): void => {
    machine
      .command(`${name} <machine>`)
      .description(description)
      .action(async (ref: string, _options: unknown, command: Command) =>
        withClient(command, async (client, out) => printMachine(out, await client.call('MachineService', method, { machine: ref }))),
      );
  };
  machine
    .command('show <machine>')
    .description("show one machine (id or hostname), with its smartNIC ports' networks and OVN state")
    .action(async (ref: string, _options: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        const m = await client.call('MachineService', 'GetMachine', { machine: ref });
        const smart = m.ports.some((p) => p.isSmartNic);
        const { ports } = smart ? await client.call('DeploymentService', 'GetMachineNetworks', { machine: m.id }) : { ports: [] };
        if (out.json) return printJson(out, { ...m, portNetworks: ports });
        out.write(machineDetails(m));
        if (ports.length > 0) out.write(`\nsmartNIC ports\n${renderTable(PORT_NETWORK_HEADERS, ports.map(portNetworkRow))}`);
      }),
    );
  simple('commission', 'commission a machine (admin)', 'CommissionMachine');

  const withReason = (name: string, description: string, method: 'MarkBroken' | 'MarkFixed' | 'ReleaseMachine'): void => {
    machine
      .command(`${name} <machine>`)
      .description(description)
      .option('--reason <text>', 'why (recorded in the event log)', '')
      .action(async (ref: string, options: { reason: string }, command: Command) =>
        withClient(command, async (client, out) =>
          printMachine(out, await client.call('MachineService', method, { machine: ref, reason: options.reason })),
        ),
      );
  };
  withReason('release', 'release a machine you own back to READY', 'ReleaseMachine');
  withReason('broken', 'mark a machine broken (admin)', 'MarkBroken');
  withReason('fixed', 'mark a broken machine fixed (admin)', 'MarkFixed');

  machine
    .command('delete <machine>')
    .description('delete a machine (admin)')
    .action(async (ref: string, _options: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        await client.call('MachineService', 'DeleteMachine', { machine: ref });
        if (out.json) printJson(out, { deleted: ref });
        else out.write(`deleted ${ref}\n`);
      }),
    );

  machine
    .command('allocate')
    .description('allocate a READY machine matching the constraints')
    .option('--name <machine>', 'a specific machine (id or hostname)')
    .option('--arch <arch>', 'architecture')
    .option('--min-cores <n>', 'at least this many cores')
    .option('--min-memory <size>', 'at least this much memory, e.g. 64G')
    .option('--tag <tag>', 'required tag (repeatable)', collect)
    .option('--not-tag <tag>', 'excluded tag (repeatable)', collect)
    .option('--pool <pool>', 'resource pool')
    .option('--zone <zone>', 'zone')
    .addOption(new Option('--smartnic <requirement>', 'smartNIC requirement').choices(['any', 'required', 'excluded']).default('any'))
    .option('--annotate <key=value>', 'workload annotation (repeatable)', collect)
    .option('--reason <text>', 'why (recorded in the event log)', '')
    .option('--dry-run', 'show the choice without taking it')
    .action(
      async (
        o: {
          name?: string;
          arch?: string;
          minCores?: string;
          minMemory?: string;
          tag?: string[];
          notTag?: string[];
          pool?: string;
          zone?: string;
          smartnic: string;
          annotate?: string[];
          reason: string;
          dryRun?: boolean;
        },
        command: Command,
      ) =>
        withClient(command, async (client, out) => {
          const response = await client.call('MachineService', 'AllocateMachine', {
            constraints: {
              name: o.name ?? '',
              arch: o.arch ?? '',
              minCores: o.minCores ? parseCount(o.minCores, '--min-cores') : 0,
              minMemoryMib: o.minMemory ? parseMemoryMib(o.minMemory, '--min-memory') : 0,
              tags: o.tag ?? [],
              notTags: o.notTag ?? [],
              pool: o.pool ?? '',
              zone: o.zone ?? '',
              smartNic: `SMART_NIC_CONSTRAINT_${o.smartnic.toUpperCase()}` as 'SMART_NIC_CONSTRAINT_ANY',
            },
            annotations: parsePairs(o.annotate ?? [], '--annotate'),
            reason: o.reason,
            dryRun: o.dryRun === true,
          });
          if (out.json) return printJson(out, response);
          if (response.dryRun) out.write('dry run: this machine would be allocated (nothing was taken)\n');
          if (response.machine) out.write(machineDetails(response.machine));
        }),
    );

  machine
    .command('annotate <machine>')
    .description('set or remove workload annotations on an allocated machine')
    .option('--set <key=value>', 'set an annotation (repeatable)', collect)
    .option('--remove <key>', 'remove an annotation (repeatable)', collect)
    .action(async (ref: string, o: { set?: string[]; remove?: string[] }, command: Command) =>
      withClient(command, async (client, out) =>
        printMachine(
          out,
          await client.call('MachineService', 'AnnotateMachine', {
            machine: ref,
            set: parsePairs(o.set ?? [], '--set'),
            remove: o.remove ?? [],
          }),
        ),
      ),
    );

  addDay2Commands(machine);
  addDeployCommands(machine);
  // One spelling under `machine` like every other machine verb; the top-level one stays as an alias.
  machine.addCommand(reserveCommand());
  machine.addCommand(unreserveCommand());
  return [machine, reserveCommand(), unreserveCommand()];
}

function reserveCommand(): Command {
  return new Command('reserve')
    .argument('<machine>')
    .description('reserve a machine for a user or a group (admin)')
    .option('--user <user>', 'reserve for this user')
    .option('--group <group>', 'reserve for this group')
    .action(async (ref: string, o: { user?: string; group?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        if (!o.user === !o.group) throw new UsageError('reserve: give exactly one of --user or --group');
        const holder = o.user ? { kind: 'user' as const, user: o.user } : { kind: 'group' as const, group: o.group ?? '' };
        printMachine(out, await client.call('MachineService', 'ReserveMachine', { machine: ref, holder }));
      }),
    );
}

function unreserveCommand(): Command {
  return new Command('unreserve')
    .argument('<machine>')
    .description('clear a machine reservation (admin)')
    .action(async (ref: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) =>
        printMachine(out, await client.call('MachineService', 'UnreserveMachine', { machine: ref })),
      ),
    );
}
