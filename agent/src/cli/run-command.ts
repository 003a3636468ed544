// `mooring-agent [run]`: the daemon. Configuration comes from --config FILE, MOORING_AGENT_*
// variables and flags; an invalid configuration fails here, naming the key.

import { Command } from 'commander';
import { Agent } from '../agent.js';
import { loadAgentConfig } from '../config/agent-config.js';
import { addAgentConfigOptions } from '../config/config-flags.js';
import { createLogger } from '../common/logger.js';

export function runCommand(): Command {
  const cmd = new Command('run').description('run the agent daemon (the default command)');
  addAgentConfigOptions(cmd);
  cmd.action(async () => {
    const config = await loadAgentConfig({ flags: cmd.opts(), env: process.env });
    const log = createLogger(config.logLevel);
    const agent = await Agent.start(config, log);
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        log.info({ signal }, 'stopping');
        resolve();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await agent.close();
  });
  return cmd;
}
