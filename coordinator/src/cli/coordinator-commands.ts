// moorctl coordinators [--agents] | coordinators show ID: the live coordinators sharing the fleet's
// store, the duties each holds and the agents whose sessions it holds (admins and observers).
import { Command } from 'commander';
import type { CoordinatorInfo__Output } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { emit, printJson } from './output.js';

const HEADERS = ['ID', 'ADDRESS', 'STARTED', 'VERSION', 'DUTIES', 'AGENTS'];

function row(c: CoordinatorInfo__Output, withAgents: boolean): string[] {
  const agents = withAgents && c.agents.length > 0 ? `${c.agentCount}: ${c.agents.join(', ')}` : String(c.agentCount);
  return [c.answering ? `${c.id} (this one)` : c.id, c.address, c.startedAt, c.version, c.duties.join(', ') || '-', agents];
}

function details(c: CoordinatorInfo__Output): string {
  const facts: [string, string][] = [
    ['id', c.answering ? `${c.id} (answered this call)` : c.id],
    ['address', c.address],
    ['started', c.startedAt],
    ['version', c.version],
    ['lease', c.leaseId],
    ['duties', c.duties.join(', ') || '-'],
    ['sessions', `${c.sessions} open (its own count)`],
    ['agents', `${c.agentCount} ONLINE on it`],
  ];
  const width = Math.max(...facts.map(([k]) => k.length));
  const lines = facts.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join('');
  return lines + c.agents.map((name) => `  ${name}\n`).join('');
}

export function coordinatorsCommand(): Command {
  const coordinators = new Command('coordinators')
    .description('the live coordinators, their duties and agents (admins and observers)')
    .option('--agents', "name each coordinator's agents, not only their count")
    .action(async (o: { agents?: boolean }, command: Command) =>
      withClient(command, async (client, out) => {
        const withAgents = o.agents === true;
        const { coordinators: list } = await client.call('AgentAdminService', 'ListCoordinators', { withAgents });
        emit(
          out,
          list,
          HEADERS,
          list.map((c) => row(c, withAgents)),
        );
      }),
    );
  coordinators
    .command('show')
    .description('one live coordinator with the names of its agents')
    .argument('<id>', 'the coordinator id (as `moorctl coordinators` lists it)')
    .action(async (id: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        const { coordinators: list } = await client.call('AgentAdminService', 'ListCoordinators', { withAgents: true });
        const found = list.find((c) => c.id === id);
        if (!found) throw new Error(`coordinator ${id} is not live (live: ${list.map((c) => c.id).join(', ') || 'none'})`);
        if (out.json) return printJson(out, found);
        out.write(details(found));
      }),
    );
  return coordinators;
}
