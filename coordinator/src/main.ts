#!/usr/bin/env node
// mooring-coordinator: flags + MOORING_* environment + config file -> config -> Coordinator.
import { networkInterfaces } from 'node:os';
import { Command, Option } from 'commander';
import { SystemdNotifier } from '../../proto/shared/sd-notify.js';
import {
  ConfigError,
  DEFAULT_DATA_DIR,
  DEFAULT_LISTEN,
  DEFAULT_METRICS_LISTEN,
  CONSOLE_OFF,
  DEFAULT_CONSOLE_LISTEN,
  BOOT_OFF,
  DEFAULT_BOOT_LISTEN,
  loadConfig,
  METRICS_OFF,
  type CoordinatorConfig,
} from './config.js';
import type { Coordinator } from './coordinator.js';
import { listenBanner } from './listen-banner.js';
import { createLogger, LOG_LEVELS } from './logger.js';
import { MetricsListenError } from './metrics/errors.js';
import { ConsoleListenError } from './console/errors.js';
import { backupDataDir, restoreDataDir } from './store/backup.js';
import { isFailedCommit } from './store/disk-state.js';
import { DataDirDamagedError, SecretsKeyError, StoreError } from './store/errors.js';
import { formatSummary, migrateFleet } from './store/migrate-fleet.js';
import {
  DEFAULT_ETCD_BATCH_GATHER_MS,
  DEFAULT_ETCD_BATCH_REJOIN_MS,
  parseStoreLocation,
  StoreLocationProblem,
  type StoreLocation,
  type StoreOptionValues,
} from './store/store-location.js';
import { DEFAULT_ETCD_COMPACT_INTERVAL_SECONDS } from './ha/etcd-compaction.js';
import { DEFAULT_EVENT_RETENTION_DAYS, DEFAULT_EVENT_RETENTION_MAX } from './events/event-retention.js';

const program = new Command('mooring-coordinator')
  .description('The Mooring coordinator: inventory, tenancy, allocation and the gRPC API.')
  .option('--config <file>', 'YAML config file (env MOORING_CONFIG)')
  .option('--data-dir <dir>', `data directory (env MOORING_DATA_DIR, default ${DEFAULT_DATA_DIR})`)
  .option('--store <location>', 'lmdb:DIR (default: the data dir) or etcd:URL[,URL...] (env MOORING_STORE)')
  .option('--etcd-ca <file>', "CA of the etcd members' certificates, for https:// members (env MOORING_ETCD_CA)")
  .option('--etcd-cert <file>', 'client certificate for etcd, with --etcd-key (env MOORING_ETCD_CERT)')
  .option('--etcd-key <file>', 'client key for etcd, with --etcd-cert (env MOORING_ETCD_KEY)')
  .option('--etcd-prefix <prefix>', 'the etcd key prefix of this fleet (env MOORING_ETCD_PREFIX, default /mooring)')
  .option(
    '--etcd-batch-gather-ms <ms>',
    'etcd store: after a Txn of several writes, how long at most the next one gathers as many ' +
      `(env MOORING_ETCD_BATCH_GATHER_MS, 0-100, default ${DEFAULT_ETCD_BATCH_GATHER_MS})`,
  )
  .option(
    '--etcd-batch-rejoin-ms <ms>',
    'etcd store, several coordinators: how long more at most a batch waits for the callers of the last Txn ' +
      `(env MOORING_ETCD_BATCH_REJOIN_MS, 0-100, default ${DEFAULT_ETCD_BATCH_REJOIN_MS})`,
  )
  .option('--lease-ttl-seconds <s>', "etcd store: TTL of this coordinator's lease (env MOORING_LEASE_TTL_SECONDS, default 10)")
  .option(
    '--etcd-compact-interval-seconds <s>',
    "etcd store: how often one coordinator compacts etcd's history, keeping one interval of it; 0: never, for a cluster " +
      `shared with others (env MOORING_ETCD_COMPACT_INTERVAL_SECONDS, 0-86400, default ${DEFAULT_ETCD_COMPACT_INTERVAL_SECONDS})`,
  )
  .option(
    '--event-retention-days <days>',
    'prune events older than this from the event log; 0: no age limit ' +
      `(env MOORING_EVENT_RETENTION_DAYS, 0-10000, default ${DEFAULT_EVENT_RETENTION_DAYS})`,
  )
  .option(
    '--event-retention-max <count>',
    'keep at most this many events, pruning the oldest; 0: no limit ' +
      `(env MOORING_EVENT_RETENTION_MAX, 0 or 1000-100000000, default ${DEFAULT_EVENT_RETENTION_MAX})`,
  )
  .option('--listen <host:port>', `gRPC listen address (env MOORING_LISTEN, default ${DEFAULT_LISTEN})`)
  .option('--server-name <name...>', 'DNS names/IPs for the server certificate (env MOORING_SERVER_NAMES, comma-separated)')
  .addOption(new Option('--log-level <level>', 'log level (env MOORING_LOG_LEVEL, default info)').choices(LOG_LEVELS))
  .option('--power-timeout-ms <ms>', 'power driver timeout (env MOORING_POWER_TIMEOUT_MS, default 30000)')
  .option('--heartbeat-interval-ms <ms>', 'agent heartbeat interval (env MOORING_HEARTBEAT_INTERVAL_MS, default 5000)')
  .option('--heartbeat-deadline-ms <ms>', 'agent OFFLINE after this silence (env MOORING_HEARTBEAT_DEADLINE_MS, default 3 intervals)')
  .option('--agent-cert-validity-days <days>', 'agent certificate lifetime (env MOORING_AGENT_CERT_VALIDITY_DAYS, default 30)')
  .option(
    '--agent-session-timeout-ms <ms>',
    'BIOS-halt: wait for a smartNIC agent session (env MOORING_AGENT_SESSION_TIMEOUT_MS, default 600000)',
  )
  .option('--port-active-timeout-ms <ms>', 'BIOS-halt: wait for a port to be active (env MOORING_PORT_ACTIVE_TIMEOUT_MS, default 120000)')
  .option('--power-concurrency <n>', 'power driver calls in flight per driver (env MOORING_POWER_CONCURRENCY, default 16)')
  .option(
    '--ipmi-session-idle-ms <ms>',
    'an idle ipmi BMC session sends a keep-alive (or ends) after this (env MOORING_IPMI_SESSION_IDLE_MS, default 20000)',
  )
  .option(
    '--power-sync-interval-ms <ms>',
    'ask every BMC for its power state this often; 0: never (env MOORING_POWER_SYNC_INTERVAL_MS, default 300000)',
  )
  .option('--power-sync-concurrency <n>', 'BMCs a power sync asks at once (env MOORING_POWER_SYNC_CONCURRENCY, default 8)')
  .option(
    '--ovn-northbound <remote>',
    'OVN_Northbound for tenant networks: unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT (env MOORING_OVN_NORTHBOUND)',
  )
  .option('--ovn-southbound <remote>', 'OVN_Southbound, to report which chassis claimed a port (env MOORING_OVN_SOUTHBOUND)')
  .option('--ovn-owner <value>', "external_ids mooring:owner on this fleet's OVN rows (env MOORING_OVN_OWNER, default mooring)")
  .option('--ovn-private-key <file>', 'client key for ssl: OVN remotes, mode 0600 (env MOORING_OVN_PRIVATE_KEY)')
  .option('--ovn-certificate <file>', 'client certificate for ssl: OVN remotes (env MOORING_OVN_CERTIFICATE)')
  .option('--ovn-ca-cert <file>', "CA of the OVN servers' certificates (env MOORING_OVN_CA_CERT)")
  .option('--provisioning-cidr <cidr>', 'the OVN provisioning network machines netboot on (env MOORING_PROVISIONING_CIDR; none by default)')
  .option('--provisioning-router <ip>', 'DHCP router option on it (env MOORING_PROVISIONING_ROUTER; none by default)')
  .option('--provisioning-lease-seconds <n>', 'its DHCP lease time (env MOORING_PROVISIONING_LEASE_SECONDS, default 600)')
  .option('--provisioning-bootfile-alt <url>', 'boot file for DHCP clients that are not iPXE (env MOORING_PROVISIONING_BOOTFILE_ALT)')
  .option(
    '--metrics-listen <host:port>',
    `plain HTTP listener for Prometheus /metrics, or ${METRICS_OFF} (env MOORING_METRICS_LISTEN, default ${DEFAULT_METRICS_LISTEN})`,
  )
  .option(
    '--console-listen <host:port>',
    `HTTPS listener for the web console, or ${CONSOLE_OFF} (env MOORING_CONSOLE_LISTEN, default ${DEFAULT_CONSOLE_LISTEN})`,
  )
  .option(
    '--boot-listen <host:port>',
    `plain HTTP boot service (iPXE, ramdisk, images), or ${BOOT_OFF} (env MOORING_BOOT_LISTEN, default ${DEFAULT_BOOT_LISTEN})`,
  )
  .option('--boot-url <url>', 'the boot service as machines reach it, http://IP:PORT (env MOORING_BOOT_URL; default: from --boot-listen)')
  .option('--image-max-bytes <n>', 'largest image an upload may bring (env MOORING_IMAGE_MAX_BYTES, default 32 GiB)')
  .option('--ramdisk-dir <dir>', 'the deploy ramdisk (vmlinuz, initrd.img) (env MOORING_RAMDISK_DIR; default: build/ramdisk)')
  .option('--redfish-ca-file <file>', "default CA (PEM) of Redfish BMCs' certificates (env MOORING_REDFISH_CA_FILE; default: system CAs)")
  .option('--redfish-insecure', 'default for Redfish BMCs: no TLS verification, labs only (env MOORING_REDFISH_INSECURE)')
  .action(() => main());

program
  .command('backup')
  .description('write a consistent copy of the data dir (database, CA, secrets key) to FILE, mode 0600; works while the coordinator runs')
  .requiredOption('--to <file>', 'the backup file to write (a tar; it holds every secret of the coordinator)')
  .action((options: { to: string }) =>
    dataDirCommand('backup', async (dataDir) => {
      const { files } = await backupDataDir(dataDir, options.to, process.env['CREDENTIALS_DIRECTORY'] ?? null);
      process.stdout.write(`backup of ${dataDir} written to ${options.to} (${files.join(', ')})\n`);
    }),
  );

program
  .command('restore')
  .description('restore a backup into the data dir (stop the coordinator first)')
  .requiredOption('--from <file>', 'a backup written by `mooring-coordinator backup`')
  .option('--force', "replace the data dir's existing data")
  .action((options: { from: string; force?: boolean }) =>
    dataDirCommand('restore', async (dataDir) => {
      const { files } = await restoreDataDir(options.from, dataDir, options.force === true);
      process.stdout.write(`restored ${files.join(', ')} into ${dataDir}\n`);
    }),
  );

program
  .command('migrate')
  .description("copy a stopped coordinator's whole fleet from its LMDB data dir into an empty etcd prefix, then verify the copy")
  .requiredOption('--from <location>', 'lmdb:DIR: the data dir of the stopped coordinator')
  .requiredOption('--to <location>', 'etcd:URL[,URL...]: the etcd members')
  .option('--etcd-ca <file>', "CA of the etcd members' certificates, for https:// members")
  .option('--etcd-cert <file>', 'client certificate for etcd, with --etcd-key')
  .option('--etcd-key <file>', 'client key for etcd, with --etcd-cert')
  .option('--etcd-prefix <prefix>', 'the etcd key prefix to fill (default /mooring); it must be empty')
  .action((options: MigrateFlags) => migrateCommand(options));

type Flags = {
  config?: string;
  dataDir?: string;
  store?: string;
  etcdCa?: string;
  etcdCert?: string;
  etcdKey?: string;
  etcdPrefix?: string;
  etcdBatchGatherMs?: string;
  etcdBatchRejoinMs?: string;
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
  ipmiSessionIdleMs?: string;
  powerSyncIntervalMs?: string;
  powerSyncConcurrency?: string;
  leaseTtlSeconds?: string;
  etcdCompactIntervalSeconds?: string;
  eventRetentionDays?: string;
  eventRetentionMax?: string;
  ovnNorthbound?: string;
  ovnSouthbound?: string;
  ovnOwner?: string;
  ovnPrivateKey?: string;
  ovnCertificate?: string;
  ovnCaCert?: string;
  provisioningCidr?: string;
  provisioningRouter?: string;
  provisioningLeaseSeconds?: string;
  provisioningBootfileAlt?: string;
  metricsListen?: string;
  consoleListen?: string;
  bootListen?: string;
  bootUrl?: string;
  imageMaxBytes?: string;
  ramdiskDir?: string;
  redfishCaFile?: string;
  redfishInsecure?: boolean;
};

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

/** The exit status of a refusal to start over damaged data (systemd: RestartPreventExitStatus=3). */
const EXIT_DATA_DIR_DAMAGED = 3;
/** The exit status after the coordinator lost its etcd lease (systemd restarts it). */
const EXIT_LEASE_LOST = 4;

function loadFlagsConfig(flags: Flags): CoordinatorConfig {
  try {
    return loadConfig({
      flags: {
        config: flags.config,
        dataDir: flags.dataDir,
        store: flags.store,
        etcdCa: flags.etcdCa,
        etcdCert: flags.etcdCert,
        etcdKey: flags.etcdKey,
        etcdPrefix: flags.etcdPrefix,
        etcdBatchGatherMs: num(flags.etcdBatchGatherMs),
        etcdBatchRejoinMs: num(flags.etcdBatchRejoinMs),
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
        ipmiSessionIdleMs: num(flags.ipmiSessionIdleMs),
        powerSyncIntervalMs: num(flags.powerSyncIntervalMs),
        powerSyncConcurrency: num(flags.powerSyncConcurrency),
        leaseTtlSeconds: num(flags.leaseTtlSeconds),
        etcdCompactIntervalSeconds: num(flags.etcdCompactIntervalSeconds),
        eventRetentionDays: num(flags.eventRetentionDays),
        eventRetentionMax: num(flags.eventRetentionMax),
        ovnNorthbound: flags.ovnNorthbound,
        ovnSouthbound: flags.ovnSouthbound,
        ovnOwner: flags.ovnOwner,
        ovnPrivateKey: flags.ovnPrivateKey,
        ovnCertificate: flags.ovnCertificate,
        ovnCaCert: flags.ovnCaCert,
        provisioningCidr: flags.provisioningCidr,
        provisioningRouter: flags.provisioningRouter,
        provisioningLeaseSeconds: num(flags.provisioningLeaseSeconds),
        provisioningBootfileAlt: flags.provisioningBootfileAlt,
        metricsListen: flags.metricsListen,
        consoleListen: flags.consoleListen,
        bootListen: flags.bootListen,
        bootUrl: flags.bootUrl,
        imageMaxBytes: num(flags.imageMaxBytes),
        ramdiskDir: flags.ramdiskDir,
        redfishCaFile: flags.redfishCaFile,
        redfishInsecure: flags.redfishInsecure,
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
}

async function dataDirCommand(name: string, command: (dataDir: string) => Promise<void>): Promise<void> {
  const config = loadFlagsConfig(program.opts<Flags>());
  try {
    await command(config.dataDir);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    process.stderr.write(`mooring-coordinator ${name}: ${error.message}\n`);
    process.exit(1);
  }
}

type MigrateFlags = { from: string; to: string; etcdCa?: string; etcdCert?: string; etcdKey?: string; etcdPrefix?: string };

async function migrateCommand(options: MigrateFlags): Promise<void> {
  const fail = (message: string, status: number): never => {
    process.stderr.write(`mooring-coordinator migrate: ${message}\n`);
    process.exit(status);
  };
  // --etcd-* given before `migrate` are the main command's; take them too.
  const root = program.opts<Flags>();
  const parse = (flag: string, values: StoreOptionValues): StoreLocation => {
    try {
      return parseStoreLocation(values, '');
    } catch (error) {
      if (!(error instanceof StoreLocationProblem)) throw error;
      const option = error.option === 'store' ? flag : `--${error.option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      return fail(`${option}: ${error.problem}`, 2);
    }
  };
  const from = parse('--from', { store: options.from });
  const to = parse('--to', {
    store: options.to,
    etcdCa: options.etcdCa ?? root.etcdCa,
    etcdCert: options.etcdCert ?? root.etcdCert,
    etcdKey: options.etcdKey ?? root.etcdKey,
    etcdPrefix: options.etcdPrefix ?? root.etcdPrefix,
  });
  if (from.type !== 'lmdb') return fail(`--from: expected lmdb:DIR (the data dir of the stopped coordinator), got ${options.from}`, 2);
  if (to.type !== 'etcd') return fail(`--to: expected etcd:URL[,URL...], got ${options.to}`, 2);
  try {
    const summary = await migrateFleet({
      from,
      to,
      credentialsDirectory: process.env['CREDENTIALS_DIRECTORY'] ?? null,
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(formatSummary(summary, to));
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    fail(error.message, 1);
  }
}

async function main(): Promise<void> {
  const config = loadFlagsConfig(program.opts<Flags>());
  // lmdb-js rejects a promise of its own for a failed commit besides the one the store handles
  // (store/disk-state.ts); a full disk must not end the process through it. Anything else still does.
  process.on('unhandledRejection', (reason) => {
    if (isFailedCommit(reason)) return;
    throw reason;
  });
  const logger = createLogger(config.logLevel);
  // Under systemd (Type=notify): READY=1 once the gRPC server is listening, watchdog pings, STOPPING=1.
  const notifier = SystemdNotifier.fromEnvironment(process.env, logger.child({ component: 'systemd' }));
  notifier.startWatchdog();
  // Signal handlers before anything else: a SIGTERM that arrives while the coordinator starts, or
  // right after it printed that it listens, stops it cleanly once started; without a handler the
  // signal's default action would kill it mid-write.
  let stopping = false;
  let coordinator: Coordinator | undefined;
  let started = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    notifier.stopping(`stopping on ${signal}`);
    if (!started) return; // the start finishes first, then sees `stopping`
    const closing = coordinator ? coordinator.close() : Promise.resolve();
    closing.then(
      () => notifier.close().then(() => process.exit(0)),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    // Loaded here, not at the top: backup, restore and migrate share this program and need none of
    // the coordinator's parts, which take most of its start-up.
    const daemon = await import('./coordinator.js');
    coordinator = await daemon.Coordinator.create(config, { logger, processMetrics: true });
  } catch (error) {
    if (error instanceof MetricsListenError || error instanceof ConsoleListenError) {
      logger.fatal({ host: error.host, port: error.port, code: error.code }, error.message);
      process.stderr.write(`mooring-coordinator: ${error.message}\n`);
      process.exit(1);
    }
    if (!(error instanceof DataDirDamagedError || error instanceof SecretsKeyError)) throw error;
    logger.fatal({ file: error.file }, error.message);
    process.stderr.write(`mooring-coordinator: refusing to start: ${error.message}\n`);
    process.exit(EXIT_DATA_DIR_DAMAGED);
  }
  started = true;
  // A lost lease is final (ha/coordinator-lease.ts): what this coordinator owned is another's now.
  // It stops at once, without a write (they are fenced) and without a BMC call; systemd starts it
  // again (Restart=on-failure) under a new lease.
  coordinator.lease.onLost((why) => {
    logger.fatal({ why, leaseId: coordinator?.lease.leaseId }, 'lease lost: exiting to start again under a new lease');
    process.exit(EXIT_LEASE_LOST);
  });
  if (stopping) {
    stopping = false;
    return stop('a signal received while starting');
  }
  // The ready line is printed at any log level below silent: supervisors and tests wait for it.
  const lifecycle = config.logLevel === 'silent' ? logger : logger.child({}, { level: 'info' });
  const metricsUrl = coordinator.metricsUrl;
  lifecycle.info(
    { url: metricsUrl },
    metricsUrl ? `metrics listening: Prometheus can scrape ${metricsUrl}` : `metrics off (metricsListen: ${METRICS_OFF})`,
  );
  const consoleUrl = coordinator.consoleUrl;
  lifecycle.info(
    { url: consoleUrl },
    consoleUrl ? `console listening: open ${consoleUrl} and sign in with an API token` : `console off (consoleListen: ${CONSOLE_OFF})`,
  );
  const bootUrl = coordinator.bootUrl;
  lifecycle.info(
    { url: bootUrl },
    bootUrl ? `boot service listening: machines reach ${bootUrl}` : `boot service off (bootListen: ${BOOT_OFF})`,
  );
  lifecycle.info({ host: config.listen.host, port: coordinator.port, dataDir: config.dataDir }, 'coordinator listening');
  // And in plain text on stderr (stdout is JSON log lines), at every log level: where the API is.
  const banner = listenBanner({ host: config.listen.host, port: coordinator.port, dataDir: config.dataDir, interfaces: readInterfaces() });
  process.stderr.write(`${banner}\n`);
  notifier.ready(`listening on ${config.listen.host}:${coordinator.port}, data in ${config.dataDir}`);
}

/** This host's addresses for the listen banner; null when they cannot be read (no netlink socket). */
function readInterfaces(): ReturnType<typeof networkInterfaces> | null {
  try {
    return networkInterfaces();
  } catch {
    return null;
  }
}

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`mooring-coordinator: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
