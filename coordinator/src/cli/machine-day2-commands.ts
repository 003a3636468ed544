// moorctl machine power, boot-device, update: day-2 operations on an enlisted machine.
import { Command, Option } from 'commander';
import type { Machine__Output, PowerSettings, UpdateMachineRequest } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { UsageError } from './connection.js';
import { machineDetails, printJson, short, type Output } from './output.js';
import { addBmcOptions, bmcOptionsGiven, bmcSettings, DEFAULT_BMC_SETTINGS, powerPassword, type BmcOptions } from './power-options.js';

const POWER_ACTIONS = ['on', 'off', 'cycle', 'status'] as const;
const BOOT_DEVICES = ['pxe', 'disk', 'bios'] as const;

function printMachine(out: Output, machine: Machine__Output): void {
  if (out.json) printJson(out, machine);
  else out.write(machineDetails(machine));
}

interface UpdateOptions extends BmcOptions {
  tags?: string;
  pool?: string;
  zone?: string;
  hostname?: string;
  powerDriver?: string;
  powerAddress?: string;
  powerUser?: string;
  powerPasswordFile?: string;
  powerPasswordStdin?: boolean;
  powerPasswordRemoteFile?: string;
  bootMode?: string;
}

/** Whether any power-settings option was given (then the settings are sent, whole). */
function editsPower(o: UpdateOptions): boolean {
  const given = [o.powerDriver, o.powerAddress, o.powerUser, o.powerPasswordFile, o.powerPasswordStdin, o.powerPasswordRemoteFile];
  return [...given, o.bootMode].some((v) => v !== undefined) || bmcOptionsGiven(o);
}

/**
 * The machine's current power settings with the options given laid over them: the server checks
 * the result as it checks enlist's and replaces the settings whole. Every field the server
 * returned is carried over (settings this moorctl has no option for stay as they are); the
 * password goes only when given, through a file, stdin or MOORING_POWER_PASSWORD, never argv.
 */
async function powerEdit(current: Machine__Output, o: UpdateOptions): Promise<PowerSettings> {
  const { hasPassword: _hasPassword, ...base } = current.power ?? ({} as NonNullable<Machine__Output['power']>);
  const driver = o.powerDriver ? (`POWER_DRIVER_${o.powerDriver.toUpperCase()}` as PowerSettings['driver']) : base.driver;
  return {
    ...base,
    // Another driver starts from its own defaults: the old driver's settings do not apply to it.
    ...(driver !== base.driver ? { driver, ...DEFAULT_BMC_SETTINGS } : {}),
    ...bmcSettings(o),
    ...(o.powerAddress !== undefined ? { address: o.powerAddress } : {}),
    ...(o.powerUser !== undefined ? { user: o.powerUser } : {}),
    ...(o.bootMode ? { bootMode: o.bootMode === 'legacy' ? 'BOOT_MODE_LEGACY' : 'BOOT_MODE_UEFI' } : {}),
    password: await powerPassword(o),
    // Empty with no password either: the stored password (or password file) is kept.
    passwordFile: o.powerPasswordRemoteFile ?? '',
  };
}

export function addDay2Commands(machine: Command): void {
  machine
    .command('power <action> <machine>')
    .description(
      'power a machine on, off or cycle it, or read its power from the BMC (status) ' +
        '(admin, or the owner of an allocated or deployed machine)',
    )
    .action(async (action: string, ref: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        if (!(POWER_ACTIONS as readonly string[]).includes(action)) {
          throw new UsageError(`power: the action must be one of ${POWER_ACTIONS.join(', ')}, got ${action}`);
        }
        const m = await client.call('MachineService', 'PowerMachine', {
          machine: ref,
          action: `POWER_ACTION_${action.toUpperCase()}` as 'POWER_ACTION_ON',
        });
        if (out.json) return printJson(out, m);
        out.write(`${m.hostname}: power ${short(m.powerState, 'POWER_STATE_').toLowerCase()}\n`);
      }),
    );

  machine
    .command('boot-device <machine> <device>')
    .description('set where the machine boots next: pxe, disk or bios (admin, or the owner of an allocated or deployed machine)')
    .option('--persistent', 'every boot from now on, not only the next one')
    .action(async (ref: string, device: string, o: { persistent?: boolean }, command: Command) =>
      withClient(command, async (client, out) => {
        if (!(BOOT_DEVICES as readonly string[]).includes(device)) {
          throw new UsageError(`boot-device: the device must be one of ${BOOT_DEVICES.join(', ')}, got ${device}`);
        }
        const m = await client.call('MachineService', 'SetBootDevice', {
          machine: ref,
          device: `BOOT_DEVICE_${device.toUpperCase()}` as 'BOOT_DEVICE_PXE',
          persistent: o.persistent === true,
        });
        if (out.json) return printJson(out, m);
        out.write(`${m.hostname}: boot device ${device} (${o.persistent ? 'persistent' : 'next boot only'})\n`);
      }),
    );

  const update = machine
    .command('update <machine>')
    .description('change tags, pool, zone, hostname or power settings (admin)')
    .option('--tags <list>', 'replace the tags with this comma-separated list ("" clears them)')
    .option('--pool <pool>', 'move to this pool (its auto-reservation applies)')
    .option('--zone <zone>', 'zone')
    .option('--hostname <name>', 'new hostname')
    .addOption(new Option('--power-driver <driver>', 'power driver').choices(['ipmi', 'redfish', 'manual']))
    .option('--power-address <address>', 'BMC address')
    .option('--power-user <user>', 'BMC user')
    .option('--power-password-file <file>', 'read the new BMC password from this local file and send it')
    .option('--power-password-stdin', 'read the new BMC password from standard input')
    .option('--power-password-remote-file <path>', "a file on the coordinator's host holding the BMC password")
    .addOption(new Option('--boot-mode <mode>', 'boot mode').choices(['uefi', 'legacy']));
  addBmcOptions(update)
    .addHelpText(
      'after',
      '\nPower options change only what they name; the other power settings stay. The BMC password stays unless a new one\n' +
        'is given (file, stdin, MOORING_POWER_PASSWORD or --power-password-remote-file).',
    )
    .action(async (ref: string, o: UpdateOptions, command: Command) =>
      withClient(command, async (client, out) => {
        const request: UpdateMachineRequest = {
          machine: ref,
          ...(o.tags !== undefined
            ? {
                tags: {
                  tags: o.tags
                    .split(',')
                    .map((t) => t.trim())
                    .filter(Boolean),
                },
              }
            : {}),
          pool: o.pool ?? '',
          zone: o.zone ?? '',
          hostname: o.hostname ?? '',
        };
        if (editsPower(o)) request.power = await powerEdit(await client.call('MachineService', 'GetMachine', { machine: ref }), o);
        printMachine(out, await client.call('MachineService', 'UpdateMachine', request));
      }),
    );
}
