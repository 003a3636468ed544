// Runs one moorctl action: connect with the global options, hand over a client and the output,
// always close the connection.
import type { Command } from 'commander';
import type { CoordinatorClient } from '../client/coordinator-client.js';
import { connect, type GlobalOptions } from './connection.js';
import { stdoutOutput, type Output } from './output.js';

export async function withClient(command: Command, action: (client: CoordinatorClient, out: Output) => Promise<void>): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const client = await connect(options, process.env);
  try {
    await action(client, stdoutOutput(options.json === true));
  } finally {
    client.close();
  }
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
