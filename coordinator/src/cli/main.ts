#!/usr/bin/env node
// moorctl: the operator and tenant CLI over the coordinator's gRPC API. Tables by default,
// --json for one JSON document; on failure the error on stderr and a non-zero exit code.
import { Command } from 'commander';
import { isServiceError, statusName } from '../client/coordinator-client.js';
import { UsageError } from './connection.js';
import { agentCommand } from './agent-commands.js';
import { coordinatorsCommand } from './coordinator-commands.js';
import { portCommand } from './port-commands.js';
import { eventsCommand } from './event-commands.js';
import { imageCommand } from './image-commands.js';
import { machineCommands } from './machine-commands.js';
import { networkCommand, securityGroupCommand } from './network-commands.js';
import { poolCommand } from './pool-commands.js';
import { tenancyCommands } from './tenancy-commands.js';
import { vmCommand, vmhostCommand } from './vmhost-commands.js';

// grpc-js warns when it sends an IP address as the TLS server name; moorctl's output is for people.
process.removeAllListeners('warning');

const program = new Command('moorctl')
  .description('Mooring coordinator CLI')
  .option('--coordinator <host:port,...>', 'coordinator address; of several, the first that answers (env MOORING_COORDINATOR)')
  .option('--token-file <file>', 'file holding your API token (env MOORING_TOKEN holds the token itself)')
  .option('--ca <file>', "the coordinator's CA certificate, <data-dir>/ca.crt (env MOORING_CA)")
  .option('--json', 'print one JSON document instead of a table')
  .option('--timeout <seconds>', 'deadline of each call', '30')
  .showHelpAfterError()
  .exitOverride();

for (const command of [
  ...machineCommands(),
  poolCommand(),
  networkCommand(),
  securityGroupCommand(),
  ...tenancyCommands(),
  eventsCommand(),
  agentCommand(),
  coordinatorsCommand(),
  portCommand(),
  vmhostCommand(),
  vmCommand(),
  imageCommand(),
])
  program.addCommand(command);
// Subcommands inherit exitOverride so usage errors exit through the handler below.
const applyExitOverride = (command: Command): void => {
  command.exitOverride();
  command.commands.forEach(applyExitOverride);
};
applyExitOverride(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = (error as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('commander.')) {
    process.exitCode = code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help' ? 0 : 2;
  } else if (isServiceError(error)) {
    process.stderr.write(`moorctl: ${error.details || error.message} (${statusName(error.code)})\n`);
    process.exitCode = 1;
  } else if (error instanceof UsageError) {
    process.stderr.write(`moorctl: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`moorctl: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
