// moorctl port create|list|show|update|delete: the ports of a machine (Ironic's model). An update
// sends only the fields whose flags were given, named in the update mask.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { Port, PortInfo__Output, UpdatePortRequest } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { UsageError } from './connection.js';
import { emit, printJson, type Output } from './output.js';

const PORT_HEADERS = ['MAC', 'SMARTNIC', 'AGENT', 'PORT ID', 'MODE', 'MAPS TO', 'SSH KEY', 'OVSDB CA'];

function portRow(info: PortInfo__Output): string[] {
  const p = info.port;
  return [
    p?.mac ?? '',
    p?.isSmartNic ? 'yes' : 'no',
    p?.smartNicAgentId ?? '',
    p?.smartNicPortId ?? '',
    info.smartNicMode,
    info.mapsTo,
    p?.sshPublicKey ? 'set' : '',
    p?.ovsdbCaCert ? 'set' : '',
  ];
}

function portDetails(info: PortInfo__Output): string {
  const p = info.port;
  const rows: [string, string][] = [
    ['machine', info.machineId],
    ['mac', p?.mac ?? ''],
    ['smartNIC', p?.isSmartNic ? 'yes' : 'no'],
    ['agent', p?.smartNicAgentId ?? ''],
    ['port id', p?.smartNicPortId ?? ''],
    ['mode', info.smartNicMode],
    ['maps to', info.mapsTo],
    ['ssh key', sshKeySummary(p?.sshPublicKey ?? '')],
    ['ovsdb CA', p?.ovsdbCaCert ? 'set' : ''],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`.trimEnd()).join('\n') + '\n';
}

/** The key type and comment, not the whole base64 body. */
function sshKeySummary(key: string): string {
  const [type = '', , ...comment] = key.trim().split(/\s+/);
  return key ? [type, ...comment].join(' ') : '';
}

function printPort(out: Output, info: PortInfo__Output): void {
  if (out.json) printJson(out, info);
  else out.write(portDetails(info));
}

function readLocalFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface PortFlags {
  mac?: string;
  smartNic?: boolean;
  agent?: string;
  portId?: string;
  sshKeyFile?: string;
  ovsdbCaFile?: string;
  clearSshKey?: boolean;
  clearOvsdbCa?: boolean;
}

/** The Port fields the flags set, keyed by their update_mask path. */
function portFromFlags(flags: PortFlags): Map<string, Partial<Port>> {
  if (flags.sshKeyFile !== undefined && flags.clearSshKey) throw new UsageError('give --ssh-key-file or --clear-ssh-key, not both');
  if (flags.ovsdbCaFile !== undefined && flags.clearOvsdbCa) throw new UsageError('give --ovsdb-ca-file or --clear-ovsdb-ca, not both');
  const fields = new Map<string, Partial<Port>>();
  if (flags.mac !== undefined) fields.set('mac', { mac: flags.mac });
  if (flags.smartNic !== undefined) fields.set('is_smart_nic', { isSmartNic: flags.smartNic });
  if (flags.agent !== undefined) fields.set('smart_nic_agent_id', { smartNicAgentId: flags.agent });
  if (flags.portId !== undefined) fields.set('smart_nic_port_id', { smartNicPortId: flags.portId });
  if (flags.sshKeyFile !== undefined)
    fields.set('ssh_public_key', { sshPublicKey: readLocalFile(flags.sshKeyFile, '--ssh-key-file').trim() });
  if (flags.clearSshKey) fields.set('ssh_public_key', { sshPublicKey: '' });
  if (flags.ovsdbCaFile !== undefined) fields.set('ovsdb_ca_cert', { ovsdbCaCert: readLocalFile(flags.ovsdbCaFile, '--ovsdb-ca-file') });
  if (flags.clearOvsdbCa) fields.set('ovsdb_ca_cert', { ovsdbCaCert: '' });
  return fields;
}

function merged(fields: Map<string, Partial<Port>>): Port {
  return Object.assign({}, ...fields.values()) as Port;
}

export function portCommand(): Command {
  const port = new Command('port').description('network ports of a machine (smartNIC or plain)');

  port
    .command('create <machine>')
    .description('add a port to a machine (admin; machine NEW, COMMISSIONING or READY)')
    .requiredOption('--mac <mac>', 'MAC address')
    .option('--smart-nic', 'the port sits behind a smartNIC (needs --agent and --port-id)')
    .option('--agent <name>', 'the agent on the smartNIC')
    .option('--port-id <port>', 'the port (representor) on the smartNIC, e.g. pf0hpf')
    .option('--ssh-key-file <file>', "the smartNIC's SSH public key, read from this local file")
    .option('--ovsdb-ca-file <file>', "the CA certificate (PEM) of the smartNIC's OVSDB, read from this local file")
    .action(async (machine: string, flags: PortFlags, command: Command) =>
      withClient(command, async (client, out) => {
        const fields = portFromFlags({ ...flags, smartNic: flags.smartNic === true });
        printPort(out, await client.call('PortService', 'CreatePort', { machine, port: merged(fields) }));
      }),
    );

  port
    .command('list <machine>')
    .description('list the ports of a machine')
    .action(async (machine: string, _flags: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        const response = await client.call('PortService', 'ListPorts', { machine });
        emit(out, response, PORT_HEADERS, response.ports.map(portRow));
      }),
    );

  port
    .command('show <machine> <mac>')
    .description('show one port')
    .action(async (machine: string, mac: string, _flags: unknown, command: Command) =>
      withClient(command, async (client, out) => printPort(out, await client.call('PortService', 'GetPort', { machine, mac }))),
    );

  port
    .command('update <machine> <mac>')
    .description('change the fields whose flags are given (admin; machine NEW, COMMISSIONING or READY)')
    .option('--new-mac <mac>', 'a new MAC address for the port')
    .option('--smart-nic', 'make it a smartNIC port')
    .option('--no-smart-nic', "make it a plain port (clear the ids in the same update: --agent '' --port-id '')")
    .option('--agent <name>', "the agent on the smartNIC ('' clears it)")
    .option('--port-id <port>', "the port (representor) on the smartNIC ('' clears it)")
    .option('--ssh-key-file <file>', "the smartNIC's SSH public key, read from this local file")
    .option('--clear-ssh-key', 'remove the SSH public key')
    .option('--ovsdb-ca-file <file>', "the CA certificate (PEM) of the smartNIC's OVSDB, read from this local file")
    .option('--clear-ovsdb-ca', 'remove the OVSDB CA certificate')
    .action(async (machine: string, mac: string, { newMac, ...flags }: PortFlags & { newMac?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const fields = portFromFlags({ ...flags, mac: newMac });
        if (fields.size === 0) throw new UsageError('port update: give at least one field to change (see --help)');
        const request: UpdatePortRequest = { machine, mac, port: merged(fields), updateMask: [...fields.keys()] };
        printPort(out, await client.call('PortService', 'UpdatePort', request));
      }),
    );

  port
    .command('delete <machine> <mac>')
    .description('remove a port from a machine (admin; machine NEW, COMMISSIONING or READY)')
    .action(async (machine: string, mac: string, _flags: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        await client.call('PortService', 'DeletePort', { machine, mac });
        if (out.json) printJson(out, { deleted: mac, machine });
        else out.write(`deleted port ${mac} of ${machine}\n`);
      }),
    );

  return port;
}
