#!/usr/bin/env node
// mooring-coordinator: flags + MOORING_* environment + config file -> config -> Coordinator.
import { Command, Option } from 'commander';
import { SystemdNotifier } from '../../agent/src/common/sd-notify.js';
import { ConfigError, DEFAULT_DATA_DIR, DEFAULT_LISTEN, loadConfig } from './config.js';
import { Coordinator } from './coordinator.js';
import { createLogger, LOG_LEVELS } from './logger.js';

const program = new Command('mooring-coordinator')
  .description('The Mooring coordinator: inventory, tenancy, allocation and the gRPC API.')
  .option('--config <file>', 'YAML config file (env MOORING_CONFIG)')
  .option('--data-dir <dir>', `data directory (env MOORING_DATA_DIR, default ${DEFAULT_DATA_DIR})`)
  .option('--listen <host:port>', `gRPC listen address (env MOORING_LISTEN, default ${DEFAULT_LISTEN})`)
  .option('--server-name <name...>', 'DNS names/IPs for the server certificate (env MOORING_SERVER_NAMES, comma-separated)')
  .addOption(new Option('--log-level <level>', 'log level (env MOORING_LOG_LEVEL, default info)').choices(LOG_LEVELS))
  .option('--power-timeout-ms <ms>', 'power driver timeout (env MOORING_POWER_TIMEOUT_MS, default 30000)')
  .option('--heartbeat-interval-ms <ms>', 'agent heartbeat interval (env MOORING_HEARTBEAT_INTERVAL_MS, default 5000)')
  .option('--heartbeat-deadline-ms <ms>', 'agent OFFLINE after this silence (env MOORING_HEARTBEAT_DEADLINE_MS, default 3 intervals)')
  .option('--agent-cert-validity-days <days>', 'agent certificate lifetime (env MOORING_AGENT_CERT_VALIDITY_DAYS, default 30)')
  .option('--agent-session-timeout-ms <ms>', 'BIOS-halt: wait for a smartNIC agent session (env MOORING_AGENT_SESSION_TIMEOUT_MS, default 600000)')
  .option('--port-active-timeout-ms <ms>', 'BIOS-halt: wait for a port to be active (env MOORING_PORT_ACTIVE_TIMEOUT_MS, default 120000)')
  .option('--power-concurrency <n>', 'power driver calls in flight per driver (env MOORING_POWER_CONCURRENCY, default 16)')
  .parse();

const flags = program.opts<{
  config?: string;
  dataDir?: string;
  listen?: string;
  serverName?: string[];
  logLevel?: (typeof LOG_LEVELS)[number];
  powerTimeoutMs?: string;
  heartbeatIntervalMs?: string;
  heartbeatDeadlineMs?: string;
  agentCertValidityDays?: string;
  agentSessionTimeoutMs?: string;
  portActiveTimeoutMs?: string;
  powerConcurrency?: string;
}>();

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({
      flags: {
        config: flags.config,
        dataDir: flags.dataDir,
        listen: flags.listen,
        serverNames: flags.serverName,
        logLevel: flags.logLevel,
        powerTimeoutMs: num(flags.powerTimeoutMs),
        heartbeatIntervalMs: num(flags.heartbeatIntervalMs),
        heartbeatDeadlineMs: num(flags.heartbeatDeadlineMs),
        agentCertValidityDays: num(flags.agentCertValidityDays),
        agentSessionTimeoutMs: num(flags.agentSessionTimeoutMs),
        portActiveTimeoutMs: num(flags.portActiveTimeoutMs),
        powerConcurrency: num(flags.powerConcurrency),
      },
      env: process.env,
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`mooring-coordinator: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // Under systemd (Type=notify): READY=1 once the gRPC server is listening, watchdog pings, STOPPING=1.
  const notifier = SystemdNotifier.fromEnvironment(process.env, logger.child({ component: 'systemd' }));
  notifier.startWatchdog();
  const coordinator = await Coordinator.create(config, { logger });
  // The ready line is printed at any log level below silent: supervisors and tests wait for it.
  const lifecycle = config.logLevel === 'silent' ? logger : logger.child({}, { level: 'info' });
  lifecycle.info({ host: config.listen.host, port: coordinator.port, dataDir: config.dataDir }, 'coordinator listening');
  notifier.ready(`listening on ${config.listen.host}:${coordinator.port}, data in ${config.dataDir}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    notifier.stopping(`stopping on ${signal}`);
    coordinator.close().then(
      () => notifier.close().then(() => process.exit(0)),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`mooring-coordinator: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
