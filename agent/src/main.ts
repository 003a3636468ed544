#!/usr/bin/env node
// mooring-agent: the daemon on every smartNIC and VM host, and the operator's local commands.

import { Command } from 'commander';
import { lxdCommand } from './cli/lxd-command.js';
import { ovsCommand } from './cli/ovs-command.js';
import { runCommand } from './cli/run-command.js';
import { AGENT_VERSION } from './version.js';

const program = new Command('mooring-agent')
  .description('Mooring agent: Open vSwitch ports, SR-IOV and LXD on a smartNIC or VM host')
  .version(AGENT_VERSION)
  .showHelpAfterError()
  .addCommand(runCommand(), { isDefault: true })
  .addCommand(ovsCommand())
  .addCommand(lxdCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`mooring-agent: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
