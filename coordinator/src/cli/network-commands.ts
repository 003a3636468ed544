// moorctl network ... and moorctl security-group ...
import { Command } from 'commander';
import type {
  Holder__Output,
  Network__Output,
  PortRange__Output,
  SecurityGroup__Output,
  SecurityRule__Output,
} from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { UsageError } from './connection.js';
import { emit, holderText, printJson, renderTable } from './output.js';

const NETWORK_HEADERS = ['NAME', 'CIDR', 'OWNER', 'ID'];
const networkRow = (n: Network__Output): string[] => [n.name, n.cidr, holderText(n.owner), n.id];
const GROUP_HEADERS = ['NAME', 'OWNER', 'RULES', 'ID'];
const groupRow = (g: SecurityGroup__Output): string[] => [g.name, holderText(g.owner), String(g.rules.length), g.id];
const RULE_HEADERS = ['RULE', 'DIRECTION', 'PROTOCOL', 'PORTS', 'REMOTE'];

function portsText(ports: PortRange__Output | null): string {
  if (!ports) return 'any';
  return ports.min === ports.max ? String(ports.min) : `${ports.min}-${ports.max}`;
}

const ruleRow = (r: SecurityRule__Output): string[] => [
  r.id,
  r.direction,
  r.protocol,
  r.protocol === 'tcp' || r.protocol === 'udp' ? portsText(r.ports) : '',
  r.remoteCidr || (r.remoteGroup ? `group:${r.remoteGroup}` : 'anywhere'),
];

/** --owner user:NAME or group:NAME. */
function owner(text: string | undefined): Holder__Output | null {
  if (text === undefined) return null;
  const match = /^(user|group):(.+)$/.exec(text);
  if (!match?.[2]) throw new UsageError(`--owner: expected user:NAME or group:NAME, got ${JSON.stringify(text)}`);
  return match[1] === 'user' ? { kind: 'user', user: match[2] } : { kind: 'group', group: match[2] };
}

/** --port 22 or 22-23 (the coordinator checks the range). */
function ports(text: string | undefined): PortRange__Output | null {
  if (text === undefined) return null;
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!match) throw new UsageError(`--port: expected PORT or MIN-MAX, got ${JSON.stringify(text)}`);
  const min = Number(match[1]);
  return { min, max: match[2] === undefined ? min : Number(match[2]) };
}

function details(rows: readonly [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`.trimEnd()).join('\n') + '\n';
}

function networkDetails(n: Network__Output): string {
  const head = details([
    ['name', n.name],
    ['id', n.id],
    ['cidr', n.cidr],
    ['owner', holderText(n.owner)],
    ['created', n.createdAt],
    ['machines', n.attachments.length === 0 ? 'none attached' : String(new Set(n.attachments.map((a) => a.machineId)).size)],
  ]);
  if (n.attachments.length === 0) return head;
  const rows = n.attachments.map((a) => [a.machineId, a.mac, a.ip, a.lspName, a.securityGroups.join(',')]);
  return `${head}\n${renderTable(['MACHINE', 'MAC', 'IP', 'LSP', 'SECURITY GROUPS'], rows)}`;
}

function groupDetails(g: SecurityGroup__Output): string {
  const head = details([
    ['name', g.name],
    ['id', g.id],
    ['owner', holderText(g.owner)],
    ['created', g.createdAt],
  ]);
  return g.rules.length === 0 ? `${head}rules   none\n` : `${head}\n${renderTable(RULE_HEADERS, g.rules.map(ruleRow))}`;
}

function deleted(out: { json: boolean; write(text: string): void }, what: string, name: string): void {
  if (out.json) printJson(out, { deleted: name });
  else out.write(`deleted ${what} ${name}\n`);
}

export function networkCommand(): Command {
  const network = new Command('network').description('tenant networks (isolated layer-2 segments on the smartNICs, through OVN)');
  network
    .command('create <name>')
    .description('create a network')
    .option('--cidr <cidr>', 'IPv4 subnet ports get addresses from, /8 to /30 (e.g. 10.0.5.0/24)')
    .option('--owner <owner>', 'user:NAME or group:NAME (default: you)')
    .action(async (name: string, o: { cidr?: string; owner?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const created = await client.call('NetworkService', 'CreateNetwork', { name, cidr: o.cidr ?? '', owner: owner(o.owner) });
        emit(out, created, NETWORK_HEADERS, [networkRow(created)]);
      }),
    );
  network.command('list').action(async (_o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const { networks } = await client.call('NetworkService', 'ListNetworks', {});
      emit(out, { networks }, NETWORK_HEADERS, networks.map(networkRow));
    }),
  );
  network
    .command('show <name>')
    .description('a network and the machines attached to it')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        const shown = await client.call('NetworkService', 'GetNetwork', { name });
        if (out.json) printJson(out, shown);
        else out.write(networkDetails(shown));
      }),
    );
  network
    .command('delete <name>')
    .description('delete a network (refused while machines are attached)')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        await client.call('NetworkService', 'DeleteNetwork', { name });
        deleted(out, 'network', name);
      }),
    );
  return network;
}

export function securityGroupCommand(): Command {
  const group = new Command('security-group').description('security groups: stateful rules for the ports put in them');
  group
    .command('create <name>')
    .option('--owner <owner>', 'user:NAME or group:NAME (default: you)')
    .action(async (name: string, o: { owner?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const created = await client.call('SecurityGroupService', 'CreateSecurityGroup', { name, owner: owner(o.owner) });
        emit(out, created, GROUP_HEADERS, [groupRow(created)]);
      }),
    );
  group.command('list').action(async (_o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const { securityGroups } = await client.call('SecurityGroupService', 'ListSecurityGroups', {});
      emit(out, { securityGroups }, GROUP_HEADERS, securityGroups.map(groupRow));
    }),
  );
  group.command('show <name>').action(async (name: string, _o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const shown = await client.call('SecurityGroupService', 'GetSecurityGroup', { name });
      if (out.json) printJson(out, shown);
      else out.write(groupDetails(shown));
    }),
  );
  group
    .command('delete <name>')
    .description('delete a security group (refused while ports are in it or other groups name it)')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        await client.call('SecurityGroupService', 'DeleteSecurityGroup', { name });
        deleted(out, 'security group', name);
      }),
    );
  const rule = new Command('rule').description("a security group's rules");
  rule
    .command('add <group>')
    .requiredOption('--direction <direction>', 'in or out')
    .requiredOption('--protocol <protocol>', 'tcp, udp, icmp or any')
    .option('--port <port>', 'a port or MIN-MAX (tcp and udp only; default every port)')
    .option('--remote-cidr <cidr>', 'only from (in) or to (out) this IPv4 CIDR')
    .option('--remote-group <group>', 'only from (in) or to (out) the ports of this security group')
    .action(
      async (
        name: string,
        o: { direction: string; protocol: string; port?: string; remoteCidr?: string; remoteGroup?: string },
        command: Command,
      ) =>
        withClient(command, async (client, out) => {
          if (o.remoteCidr !== undefined && o.remoteGroup !== undefined)
            throw new UsageError('give --remote-cidr or --remote-group, not both');
          const added = await client.call('SecurityGroupService', 'AddRule', {
            group: name,
            direction: o.direction,
            protocol: o.protocol,
            ports: ports(o.port),
            remoteCidr: o.remoteCidr ?? '',
            remoteGroup: o.remoteGroup ?? '',
          });
          emit(out, added, RULE_HEADERS, added.rule ? [ruleRow(added.rule)] : []);
        }),
    );
  rule.command('delete <group> <rule-id>').action(async (name: string, ruleId: string, _o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const updated = await client.call('SecurityGroupService', 'DeleteRule', { group: name, ruleId });
      if (out.json) printJson(out, updated);
      else out.write(`deleted rule ${ruleId} of security group ${name}\n`);
    }),
  );
  group.addCommand(rule);
  return group;
}
