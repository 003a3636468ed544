// moorctl agent ...: enrollment tokens, the agent list, revocation, and port commands that an
// agent carries out on its integration bridge.
import { Command, Option } from 'commander';
import type { AgentInfo__Output, PortReport__Output } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { emit, printJson, renderTable, type Output } from './output.js';
import { parseCount, parseDurationSeconds } from './sizes.js';
import { sriovCommand, writeSriovReport } from './sriov-commands.js';

/** Agents asked for per call (the server's cap). */
const PAGE_SIZE = 1000;

const AGENT_HEADERS = ['NAME', 'ROLE', 'STATE', 'EPOCH', 'LAST HEARTBEAT', 'VERSION', 'PORTS', 'REVOKED'];

function agentRow(a: AgentInfo__Output): string[] {
  return [
    a.id,
    a.role,
    a.state,
    String(a.epoch),
    a.lastHeartbeatAt || '-',
    a.version || '-',
    String(a.report?.ports.length ?? 0),
    a.revoked ? 'yes' : 'no',
  ];
}

function portRows(ports: readonly PortReport__Output[]): string[][] {
  return ports.map((p) => [
    p.spec?.name ?? '',
    p.state,
    String(p.ofport),
    p.spec?.ifaceId ?? '',
    p.spec?.mac ?? '',
    p.spec?.vmUuid ?? '',
    p.error || '-',
  ]);
}
const PORT_HEADERS = ['PORT', 'STATE', 'OFPORT', 'IFACE-ID', 'MAC', 'VM-UUID', 'ERROR'];

/** ovn-controller on the smartNIC as the agent last reported it. */
function ovnText(a: AgentInfo__Output): string {
  if (!a.ovnReported) return 'not reported yet';
  return a.ovnRemote ? `chassis ${a.ovnChassis || '-'}, remote ${a.ovnRemote}` : 'not configured';
}

function showAgent(out: Output, a: AgentInfo__Output): void {
  if (out.json) return printJson(out, a);
  const inv = a.inventory;
  const facts: [string, string][] = [
    ['name', a.id],
    ['role', a.role],
    ['state', `${a.state} (${a.stateReason || '-'}, since ${a.stateChangedAt || '-'})`],
    ['epoch', String(a.epoch)],
    ['last heartbeat', a.lastHeartbeatAt || '-'],
    ['version', a.version || '-'],
    ['enrolled', a.enrolledAt],
    ['certificate until', a.certNotAfter],
    ['revoked', a.revoked ? 'yes' : 'no'],
  ];
  if (a.role === 'smartnic') facts.push(['ovn', ovnText(a)]);
  if (inv) {
    facts.push(
      ['host', inv.hostname],
      ['cpu', `${inv.cpuModel} (${inv.coresPhysical} cores, ${inv.coresLogical} threads)`],
      ['memory', `${(inv.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
      ['os', `${inv.os}, kernel ${inv.kernel}`],
      ['ovs', `${inv.ovsVersion || 'version unknown'}; bridges ${inv.bridges.join(', ') || '-'}`],
    );
    if (inv.errors.length > 0) facts.push(['inventory errors', inv.errors.join('; ')]);
  }
  const width = Math.max(...facts.map(([k]) => k.length));
  out.write(facts.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join(''));
  if (inv && inv.interfaces.length > 0) {
    out.write('\ninterfaces\n');
    out.write(
      renderTable(
        ['NAME', 'MAC', 'SPEED', 'DRIVER', 'PCI', 'STATE'],
        inv.interfaces.map((n) => [
          n.name,
          n.mac || '-',
          n.speedMbps ? `${n.speedMbps}M` : '-',
          n.driver || '-',
          n.pciAddress || '-',
          n.state || '-',
        ]),
      ),
    );
  }
  if (a.report) {
    out.write(`\nports on ${a.report.bridge} (ovsdb ${a.report.ovsdbConnected ? 'connected' : 'disconnected'})\n`);
    out.write(renderTable(PORT_HEADERS, portRows(a.report.ports)));
    if (a.report.sriov) writeSriovReport(out, a.report.sriov);
  }
}

export function agentCommand(): Command {
  const agent = new Command('agent').description('agents on smartNICs and VM hosts');

  const token = agent.command('token').description('enrollment tokens (admin)');
  token
    .command('create')
    .description('a single-use, expiring token for enrolling one agent; printed once')
    .requiredOption('--name <name>', 'the agent name (its certificate subject)')
    .addOption(new Option('--role <role>', 'agent role').choices(['smartnic', 'vmhost']).default('smartnic'))
    .option('--ttl <duration>', 'how long the token stays valid (e.g. 30m, 1h, 2d)', '1h')
    .action(async (o: { name: string; role: string; ttl: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const created = await client.call('AgentAdminService', 'CreateEnrollmentToken', {
          name: o.name,
          role: o.role,
          ttlSeconds: parseDurationSeconds(o.ttl, '--ttl'),
        });
        if (out.json) return printJson(out, created);
        out.write(
          `enrollment token for agent ${created.name} (${created.role}), single use, valid until ${created.expiresAt}:\n${created.token}\n`,
        );
      }),
    );

  agent
    .command('list')
    .description('the agents you can see, in name order (every page of them unless --limit)')
    .option('--limit <n>', 'at most this many')
    .action(async (o: { limit?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const limit = o.limit === undefined ? Infinity : parseCount(o.limit, '--limit');
        const agents: AgentInfo__Output[] = [];
        let pageToken = '';
        while (agents.length < limit) {
          const pageSize = Math.min(limit - agents.length, PAGE_SIZE);
          const page = await client.call('AgentAdminService', 'ListAgents', { pageSize, pageToken });
          agents.push(...page.agents.slice(0, limit - agents.length));
          pageToken = page.nextPageToken;
          if (!pageToken) break;
        }
        emit(out, { agents }, AGENT_HEADERS, agents.map(agentRow));
      }),
    );

  agent
    .command('show <name>')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => showAgent(out, await client.call('AgentAdminService', 'GetAgent', { name }))),
    );

  agent
    .command('revoke <name>')
    .description('refuse the agent from now on and end its session (admin)')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        const a = await client.call('AgentAdminService', 'RevokeAgent', { name });
        emit(out, a, AGENT_HEADERS, [agentRow(a)]);
      }),
    );

  agent
    .command('bind-port <name>')
    .description('bind a port on the agent’s integration bridge; returns when it is active (admin)')
    .requiredOption('--port <port>', 'port name on the bridge (e.g. a representor such as pf0vf3)')
    .requiredOption('--iface-id <id>', 'external_ids:iface-id')
    .requiredOption('--mac <mac>', 'external_ids:attached-mac')
    .requiredOption('--vm-uuid <id>', 'external_ids:vm-uuid')
    .option('--wait <duration>', 'how long to wait for the agent and the port', '2m')
    .action(async (name: string, o: { port: string; ifaceId: string; mac: string; vmUuid: string; wait: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const seconds = parseDurationSeconds(o.wait, '--wait');
        const r = await client.call(
          'AgentAdminService',
          'BindPort',
          { agent: name, port: { name: o.port, ifaceId: o.ifaceId, mac: o.mac, vmUuid: o.vmUuid }, timeoutSeconds: seconds },
          (seconds + 5) * 1000,
        );
        emit(out, r, PORT_HEADERS, portRows(r.ports));
      }),
    );

  agent
    .command('unbind-port <name>')
    .description('remove a Mooring port from the agent’s integration bridge (admin)')
    .requiredOption('--port <port>', 'port name')
    .option('--wait <duration>', 'how long to wait for the agent', '2m')
    .action(async (name: string, o: { port: string; wait: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const seconds = parseDurationSeconds(o.wait, '--wait');
        const r = await client.call(
          'AgentAdminService',
          'UnbindPort',
          { agent: name, port: o.port, timeoutSeconds: seconds },
          (seconds + 5) * 1000,
        );
        if (out.json) return printJson(out, r);
        out.write(`unbound ${o.port} on ${name}\n`);
      }),
    );

  agent.addCommand(sriovCommand());

  return agent;
}
