// `mooring-agent [run]`: the daemon. Configuration comes from --config FILE, MOORING_AGENT_*
// variables and flags; an invalid configuration fails here, naming the key. Under systemd
// (Type=notify) it reports readiness, status and watchdog pings (proto/shared/sd-notify.ts).

import { Command } from 'commander';
import { loadAgentConfig } from '../config/agent-config.js';
import { addAgentConfigOptions } from '../config/config-flags.js';
import { createLogger } from '../common/logger.js';
import { SystemdNotifier } from '../../../proto/shared/sd-notify.js';
import { notifyReadiness } from '../status/readiness-notification.js';

export function runCommand(): Command {
  const cmd = new Command('run').description('run the agent daemon (the default command)');
  addAgentConfigOptions(cmd);
  cmd.action(async () => {
    const config = await loadAgentConfig({ flags: cmd.opts(), env: process.env });
    const log = createLogger(config.logLevel);
    // Before anything spawns a child process: the notification variables leave the environment here.
    const notifier = SystemdNotifier.fromEnvironment(process.env, log.child({ component: 'systemd' }));
    // Handlers first: a stop signal that arrives while the agent starts (or just after it said so)
    // must stop it cleanly once started, never kill it with the signal's default action.
    const signalled = new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    try {
      notifier.startWatchdog();
      // Loaded here, not at the top: the operator's commands (ovs, lxd) share this program and
      // need none of the daemon's parts, which take most of its start-up.
      const { Agent } = await import('../agent.js');
      const agent = await Agent.start(config, log);
      const stopReadiness = notifyReadiness(agent.board, notifier);
      const signal = await signalled;
      log.info({ signal }, 'stopping');
      stopReadiness();
      notifier.stopping(`stopping on ${signal}`);
      await agent.close();
    } finally {
      await notifier.close();
    }
  });
  return cmd;
}
