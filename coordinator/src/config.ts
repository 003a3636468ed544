// The coordinator's options, compiled once: defaults < config file (YAML) < MOORING_* environment
// < command-line flags -> validated by zod -> a frozen, fully-required CoordinatorConfig.
import { accessSync, constants, readFileSync } from 'node:fs';
import { checkOvnTlsFiles } from './ovn/tls-files.js';
import type { ProvisioningSettings } from './networks/provisioning-network.js';
import {
  PROVISIONING_ENV_KEYS,
  ProvisioningConfigProblem,
  provisioningSettings,
  provisioningSourceShape,
} from './networks/provisioning-config.js';
import {
  IMAGE_DEPLOY_ENV_KEYS,
  imageDeploySettings,
  imageDeploySourceShape,
  type ImageDeploySettings,
} from './sequencer/image-deploy-config.js';
import { hostname } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './logger.js';
import type { RedfishTls } from './machines/machine.js';
import { DEFAULT_SESSION_IDLE_MS } from './power/ipmi/ipmitool-sessions.js';
import { caFileProblem } from './power/redfish/ca-file.js';
import { MAX_ETCD_BATCH_GATHER_MS, parseStoreLocation, StoreLocationProblem, type StoreLocation } from './store/store-location.js';
import { DEFAULT_ETCD_COMPACT_INTERVAL_SECONDS } from './ha/etcd-compaction.js';
import { DEFAULT_EVENT_RETENTION_DAYS, DEFAULT_EVENT_RETENTION_MAX } from './events/event-retention.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface CoordinatorConfig {
  /** Local files (CA, server certificate, secrets key) and, with the LMDB store, the database. */
  readonly dataDir: string;
  /** Where the fleet is stored: LMDB in dataDir (the default) or an etcd cluster (store/store-location.ts). */
  readonly store: StoreLocation;
  readonly listen: ListenAddress;
  /** DNS names and IP addresses in the server certificate. */
  readonly serverNames: readonly string[];
  readonly logLevel: LogLevel;
  readonly powerTimeoutMs: number;
  /** How often agents heartbeat (told to them in the session's welcome). */
  readonly heartbeatIntervalMs: number;
  /** An agent silent this long is marked OFFLINE (default three heartbeats). */
  readonly heartbeatDeadlineMs: number;
  /** Lifetime of agent certificates; agents renew two thirds in. */
  readonly agentCertValidityDays: number;
  /** Sequencer: bound on waiting for a smartNIC agent's new session after power-on. */
  readonly agentSessionTimeoutMs: number;
  /** Sequencer: bound on waiting for a port to be active (or gone). */
  readonly portActiveTimeoutMs: number;
  /** Power driver calls in flight at once, per driver. */
  readonly powerConcurrency: number;
  /** How long an ipmi BMC session waits without a command before a keep-alive read (or its end). */
  readonly ipmiSessionIdleMs: number;
  /** Time between power sync rounds (each BMC asked for its state); 0: no sync. */
  readonly powerSyncIntervalMs: number;
  /** Machines a power sync round asks at once. */
  readonly powerSyncConcurrency: number;
  /** OVN_Northbound remote (unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT) carrying tenant networks; null: none. */
  readonly ovnNorthbound: string | null;
  /** OVN_Southbound remote, read only to report which chassis claimed a port; null: not reported. */
  readonly ovnSouthbound: string | null;
  /** The value of external_ids mooring:owner on every OVN row this fleet writes (one per fleet). */
  readonly ovnOwner: string;
  /** Client key, certificate and CA files for ssl: OVN remotes; null when no remote is ssl:. */
  readonly ovnTls: OvnTlsFiles | null;
  /** The provisioning network (networks/provisioning-config.ts); null: none, machines are not netbooted. */
  readonly provisioning: ProvisioningSettings | null;
  /** Image deploy and erasing release bounds and mode (sequencer/image-deploy-config.ts). */
  readonly imageDeploy: ImageDeploySettings;
  /** Where GET /metrics (Prometheus text) is served over plain HTTP; null: not served ("off"). */
  readonly metricsListen: ListenAddress | null;
  /** Where the web console (static pages and its JSON API) is served over HTTPS; null: not served ("off"). */
  readonly consoleListen: ListenAddress | null;
  /** How redfish machines without a TLS setting of their own check their BMC's certificate. */
  readonly redfishTls: RedfishDefaultTls;
  /** etcd store: TTL of this coordinator's lease (its duties and sequences move when it lapses). */
  readonly leaseTtlSeconds: number;
  /** etcd store: how often the duty's holder compacts etcd's history to a revision one interval old (0: never; etcd-compaction.ts). */
  readonly etcdCompactIntervalSeconds: number;
  /** Events older than this many days are pruned from the event log (0: no age limit; events/event-retention.ts). */
  readonly eventRetentionDays: number;
  /** At most this many events are kept (0: no count limit). */
  readonly eventRetentionMax: number;
  /** Where the boot service (iPXE scripts, the deploy ramdisk, image bytes, callbacks) listens over plain HTTP; null: off. */
  readonly bootListen: ListenAddress | null;
  /** The boot service's URL as machines reach it (http://IP:PORT, an IP: the ramdisk has no DNS); null: from bootListen. */
  readonly bootUrl: string | null;
  /** The largest image (all its parts) an upload may bring. */
  readonly imageMaxBytes: number;
  /** The deploy ramdisk's vmlinuz and initrd.img; null: the newest build under build/ramdisk/ (boot/ramdisk-files.ts). */
  readonly ramdiskDir: string | null;
}

/** The coordinator-wide Redfish TLS check: a machine's 'default' resolves to this. */
export type RedfishDefaultTls = Exclude<RedfishTls, { verify: 'default' }>;

export interface OvnTlsFiles {
  /** PEM private key; must not be readable by group or others (0600). */
  readonly privateKey: string;
  readonly certificate: string;
  readonly caCert: string;
}

/**
 * The default owner value. One fleet per OVN deployment is the common case, so a fixed, readable
 * name works out of the box; two fleets sharing one NB must each set their own, or each would
 * reconcile away the other's rows.
 */
export const DEFAULT_OVN_OWNER = 'mooring';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATA_DIR = '/var/lib/mooring/coordinator';
export const DEFAULT_LISTEN = '0.0.0.0:7443';
/**
 * Loopback by default: the metrics are plain HTTP without authentication (as Prometheus scrapes
 * by default), and they name machine counts and API methods an operator may not want on the
 * network. A Prometheus elsewhere needs `metricsListen` set to a reachable address.
 */
export const DEFAULT_METRICS_LISTEN = '127.0.0.1:9181';
/** The metricsListen value that turns the metrics listener off. */
export const METRICS_OFF = 'off';
/**
 * Loopback by default, as the metrics: the console signs people in with their API tokens, and an
 * operator who wants it on the network says so (with a server name in the certificate to match).
 */
export const DEFAULT_CONSOLE_LISTEN = '127.0.0.1:7480';
/** The consoleListen value that turns the console off. */
export const CONSOLE_OFF = 'off';
/**
 * Off by default: the boot service must listen where machines on the provisioning network reach
 * it, an address only the operator knows (and a loopback default would serve nobody).
 */
export const DEFAULT_BOOT_LISTEN = 'off';
/** The bootListen value that turns the boot service off. */
export const BOOT_OFF = 'off';
export const DEFAULT_IMAGE_MAX_BYTES = 32 * 1024 ** 3;
/** How often agents heartbeat unless configured (a site's interval; the OFFLINE deadline defaults to three). */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5000;

const listenPattern = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/;

const ovnRemote = z.string().regex(/^(unix:\S+|(tcp|ssl):\S+:\d{1,5})$/, 'expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT');

const sourceSchema = z
  .object({
    dataDir: z.string().min(1),
    listen: z.string().regex(listenPattern, 'expected HOST:PORT'),
    serverNames: z.array(z.string().min(1)),
    logLevel: z.enum(LOG_LEVELS),
    powerTimeoutMs: z.coerce.number().int().positive(),
    heartbeatIntervalMs: z.coerce.number().int().min(100).max(600_000),
    heartbeatDeadlineMs: z.coerce.number().int().min(300).max(3_600_000),
    // Fractions of a day are allowed (short-lived certificates in labs and tests).
    agentCertValidityDays: z.coerce.number().min(0.0001).max(3650),
    agentSessionTimeoutMs: z.coerce.number().int().min(100).max(86_400_000),
    portActiveTimeoutMs: z.coerce.number().int().min(100).max(86_400_000),
    powerConcurrency: z.coerce.number().int().min(1).max(10_000),
    // Under the BMC's own session inactivity timeout (IPMI v2.0 section 6.12.15: 60 s unless
    // configured), or the BMC forgets an idle session before the keep-alive reaches it.
    ipmiSessionIdleMs: z.coerce.number().int().min(1000).max(60_000),
    powerSyncIntervalMs: z.coerce
      .number()
      .int()
      .min(0)
      .max(86_400_000)
      .refine((ms) => ms === 0 || ms >= 1000, 'expected 0 (off) or at least 1000'),
    powerSyncConcurrency: z.coerce.number().int().min(1).max(1000),
    ovnNorthbound: ovnRemote,
    ovnSouthbound: ovnRemote,
    // As resolveOvnOptions checks it (coordinator/src/ovn/ovn-options.ts).
    ovnOwner: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'expected 1-64 letters, digits, "_", ".", ":" or "-", starting with a letter or digit'),
    ovnPrivateKey: z.string().min(1),
    ovnCertificate: z.string().min(1),
    ovnCaCert: z.string().min(1),
    metricsListen: z.union([z.literal(METRICS_OFF), z.string().regex(listenPattern, `expected HOST:PORT or "${METRICS_OFF}"`)]),
    consoleListen: z.union([z.literal(CONSOLE_OFF), z.string().regex(listenPattern, `expected HOST:PORT or "${CONSOLE_OFF}"`)]),
    redfishCaFile: z.string().min(1),
    // YAML gives a boolean, the environment a string ("false" must not turn into true).
    redfishInsecure: z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1'),
    store: z.string().min(1),
    etcdCa: z.string().min(1),
    etcdCert: z.string().min(1),
    etcdKey: z.string().min(1),
    etcdPrefix: z.string().min(1),
    etcdBatchGatherMs: z.coerce.number().int().min(0).max(MAX_ETCD_BATCH_GATHER_MS),
    etcdBatchRejoinMs: z.coerce.number().int().min(0).max(MAX_ETCD_BATCH_GATHER_MS),
    // etcd's own floor is about 2 s (1.5 election timeouts); past a minute a dead coordinator's work waits too long.
    leaseTtlSeconds: z.coerce.number().int().min(2).max(60),
    // 0 leaves compaction to the operator (an etcd cluster shared with others); at most a day.
    etcdCompactIntervalSeconds: z.coerce.number().int().min(0).max(86_400),
    // 0 keeps events of any age; at most about 27 years.
    eventRetentionDays: z.coerce.number().int().min(0).max(10_000),
    // 0 keeps any number; else at least 1000, so a burst never prunes what watchers are still reading.
    eventRetentionMax: z.coerce
      .number()
      .int()
      .min(0)
      .max(100_000_000)
      .refine((n) => n === 0 || n >= 1000, 'expected 0 (no limit) or at least 1000'),
    bootListen: z.union([z.literal(BOOT_OFF), z.string().regex(listenPattern, `expected HOST:PORT or "${BOOT_OFF}"`)]),
    bootUrl: z
      .string()
      .regex(
        /^http:\/\/(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]):\d{1,5}$/,
        'expected http://IP:PORT (an IP address: the ramdisk has no DNS)',
      ),
    imageMaxBytes: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .max(2 ** 50),
    ramdiskDir: z.string().min(1),
    ...provisioningSourceShape,
    ...imageDeploySourceShape,
  })
  .partial()
  .strict();

type ConfigSource = z.infer<typeof sourceSchema>;

export interface ConfigInputs {
  /** Flags as parsed by the CLI (camelCase keys), only those given. */
  readonly flags: ConfigSource & { config?: string };
  readonly env: Readonly<Record<string, string | undefined>>;
}

const ENV_KEYS: Record<string, keyof ConfigSource> = {
  MOORING_DATA_DIR: 'dataDir',
  MOORING_LISTEN: 'listen',
  MOORING_SERVER_NAMES: 'serverNames',
  MOORING_LOG_LEVEL: 'logLevel',
  MOORING_POWER_TIMEOUT_MS: 'powerTimeoutMs',
  MOORING_HEARTBEAT_INTERVAL_MS: 'heartbeatIntervalMs',
  MOORING_HEARTBEAT_DEADLINE_MS: 'heartbeatDeadlineMs',
  MOORING_AGENT_CERT_VALIDITY_DAYS: 'agentCertValidityDays',
  MOORING_AGENT_SESSION_TIMEOUT_MS: 'agentSessionTimeoutMs',
  MOORING_PORT_ACTIVE_TIMEOUT_MS: 'portActiveTimeoutMs',
  MOORING_POWER_CONCURRENCY: 'powerConcurrency',
  MOORING_IPMI_SESSION_IDLE_MS: 'ipmiSessionIdleMs',
  MOORING_POWER_SYNC_INTERVAL_MS: 'powerSyncIntervalMs',
  MOORING_POWER_SYNC_CONCURRENCY: 'powerSyncConcurrency',
  MOORING_OVN_NORTHBOUND: 'ovnNorthbound',
  MOORING_OVN_SOUTHBOUND: 'ovnSouthbound',
  MOORING_OVN_OWNER: 'ovnOwner',
  MOORING_OVN_PRIVATE_KEY: 'ovnPrivateKey',
  MOORING_OVN_CERTIFICATE: 'ovnCertificate',
  MOORING_OVN_CA_CERT: 'ovnCaCert',
  MOORING_METRICS_LISTEN: 'metricsListen',
  MOORING_CONSOLE_LISTEN: 'consoleListen',
  MOORING_REDFISH_CA_FILE: 'redfishCaFile',
  MOORING_REDFISH_INSECURE: 'redfishInsecure',
  MOORING_STORE: 'store',
  MOORING_ETCD_CA: 'etcdCa',
  MOORING_ETCD_CERT: 'etcdCert',
  MOORING_ETCD_KEY: 'etcdKey',
  MOORING_ETCD_PREFIX: 'etcdPrefix',
  MOORING_ETCD_BATCH_GATHER_MS: 'etcdBatchGatherMs',
  MOORING_ETCD_BATCH_REJOIN_MS: 'etcdBatchRejoinMs',
  MOORING_LEASE_TTL_SECONDS: 'leaseTtlSeconds',
  MOORING_ETCD_COMPACT_INTERVAL_SECONDS: 'etcdCompactIntervalSeconds',
  MOORING_EVENT_RETENTION_DAYS: 'eventRetentionDays',
  MOORING_EVENT_RETENTION_MAX: 'eventRetentionMax',
  MOORING_BOOT_LISTEN: 'bootListen',
  MOORING_BOOT_URL: 'bootUrl',
  MOORING_IMAGE_MAX_BYTES: 'imageMaxBytes',
  MOORING_RAMDISK_DIR: 'ramdiskDir',
  ...PROVISIONING_ENV_KEYS,
  ...IMAGE_DEPLOY_ENV_KEYS,
};

function validate(source: string, raw: unknown): ConfigSource {
  const result = sourceSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  throw new ConfigError(`${source}: ${key ? `${key}: ` : ''}${issue?.message ?? 'invalid'}`);
}

function fromEnv(env: ConfigInputs['env']): ConfigSource {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    raw[key] =
      key === 'serverNames'
        ? value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : value;
  }
  return validate('environment', raw);
}

function fromFile(path: string): ConfigSource {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return validate(`config file ${path}`, parseYaml(text) ?? {});
}

export function parseListen(listen: string, key = 'listen'): ListenAddress {
  const match = listenPattern.exec(listen);
  if (!match) throw new ConfigError(`${key}: expected HOST:PORT, got ${listen}`);
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '');
  const port = Number(match[2]);
  if (port > 65535) throw new ConfigError(`${key}: port ${port} is out of range`);
  return { host, port };
}

function metricsListen(value: string): ListenAddress | null {
  return value === METRICS_OFF ? null : Object.freeze(parseListen(value, 'metricsListen'));
}

function consoleListen(value: string): ListenAddress | null {
  return value === CONSOLE_OFF ? null : Object.freeze(parseListen(value, 'consoleListen'));
}

function bootListen(value: string): ListenAddress | null {
  return value === BOOT_OFF ? null : Object.freeze(parseListen(value, 'bootListen'));
}

/** The TLS files, checked now (an ssl: remote needs all three; the key must be 0600), or null. */
function ovnTls(merged: ConfigSource): OvnTlsFiles | null {
  if (merged.ovnSouthbound && !merged.ovnNorthbound)
    throw new ConfigError('ovnSouthbound: is set but ovnNorthbound is not; the southbound is read only beside a northbound');
  const ssl = [merged.ovnNorthbound, merged.ovnSouthbound].find((r) => r?.startsWith('ssl:'));
  const given = { ovnPrivateKey: merged.ovnPrivateKey, ovnCertificate: merged.ovnCertificate, ovnCaCert: merged.ovnCaCert };
  const missing = Object.entries(given)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
  if (missing.length === 3 && !ssl) return null;
  if (missing.length > 0) {
    const why = ssl
      ? `the OVN remote ${ssl} is ssl:`
      : `${Object.keys(given)
          .filter((k) => !missing.includes(k))
          .join(', ')} is set`;
    throw new ConfigError(`${missing[0]}: is required because ${why} (ovnPrivateKey, ovnCertificate and ovnCaCert go together)`);
  }
  const files = { privateKey: merged.ovnPrivateKey!, certificate: merged.ovnCertificate!, caCert: merged.ovnCaCert! };
  const problem = checkOvnTlsFiles(files);
  if (problem) throw new ConfigError(`${problem.key}: ${problem.message}`);
  return Object.freeze(files);
}

/** The Redfish default, with its CA file checked now (a coordinator that cannot read it does not start). */
function redfishTls(merged: ConfigSource): RedfishDefaultTls {
  if (merged.redfishCaFile !== undefined && merged.redfishInsecure === true)
    throw new ConfigError('redfishInsecure: is set together with redfishCaFile; give one or the other');
  if (merged.redfishInsecure === true) return Object.freeze({ verify: 'off' });
  if (merged.redfishCaFile === undefined) return Object.freeze({ verify: 'system-cas' });
  const problem = caFileProblem(merged.redfishCaFile);
  if (problem) throw new ConfigError(`redfishCaFile: ${merged.redfishCaFile} ${problem}`);
  return Object.freeze({ verify: 'ca-file', caFile: merged.redfishCaFile });
}

function provisioning(merged: ConfigSource): ProvisioningSettings | null {
  try {
    return provisioningSettings(merged);
  } catch (error) {
    if (error instanceof ProvisioningConfigProblem) throw new ConfigError(error.message);
    throw error;
  }
}

/** The store location, its etcd TLS files checked readable now. */
function storeLocation(merged: ConfigSource): StoreLocation {
  let location: StoreLocation;
  try {
    location = parseStoreLocation(merged, DEFAULT_DATA_DIR);
  } catch (error) {
    if (error instanceof StoreLocationProblem) throw new ConfigError(error.message);
    throw error;
  }
  if (location.type === 'etcd' && location.tls) {
    const files = { etcdCa: location.tls.caFile, etcdCert: location.tls.certFile, etcdKey: location.tls.keyFile };
    for (const [option, file] of Object.entries(files)) {
      if (file === null) continue;
      try {
        accessSync(file, constants.R_OK);
      } catch (error) {
        throw new ConfigError(`${option}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
  }
  return location;
}

export function loadConfig(inputs: ConfigInputs): CoordinatorConfig {
  const { config: configFile, ...flagValues } = inputs.flags;
  const file = configFile ?? inputs.env['MOORING_CONFIG'];
  const merged: ConfigSource = {
    ...(file ? fromFile(file) : {}),
    ...fromEnv(inputs.env),
    ...validate('flags', Object.fromEntries(Object.entries(flagValues).filter(([, v]) => v !== undefined))),
  };
  const listen = parseListen(merged.listen ?? DEFAULT_LISTEN);
  const wildcard = ['0.0.0.0', '::', ''].includes(listen.host);
  const names = merged.serverNames?.length
    ? merged.serverNames
    : [hostname(), 'localhost', '127.0.0.1', '::1', ...(wildcard ? [] : [listen.host])];
  const heartbeatIntervalMs = merged.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const heartbeatDeadlineMs = merged.heartbeatDeadlineMs ?? 3 * heartbeatIntervalMs;
  if (heartbeatDeadlineMs <= heartbeatIntervalMs) {
    throw new ConfigError(`heartbeatDeadlineMs: ${heartbeatDeadlineMs} must be longer than heartbeatIntervalMs ${heartbeatIntervalMs}`);
  }
  const store = storeLocation(merged);
  const boot = bootListen(merged.bootListen ?? DEFAULT_BOOT_LISTEN);
  if (boot && ['0.0.0.0', '::', ''].includes(boot.host) && merged.bootUrl === undefined)
    throw new ConfigError(
      `bootUrl: is required when bootListen (${merged.bootListen}) is a wildcard address: machines need the IP to reach`,
    );
  return Object.freeze({
    dataDir: store.type === 'lmdb' ? store.dir : (merged.dataDir ?? DEFAULT_DATA_DIR),
    store,
    listen: Object.freeze(listen),
    serverNames: Object.freeze([...new Set(names)]),
    logLevel: merged.logLevel ?? 'info',
    powerTimeoutMs: merged.powerTimeoutMs ?? 30_000,
    heartbeatIntervalMs,
    heartbeatDeadlineMs,
    agentCertValidityDays: merged.agentCertValidityDays ?? 30,
    agentSessionTimeoutMs: merged.agentSessionTimeoutMs ?? 600_000,
    portActiveTimeoutMs: merged.portActiveTimeoutMs ?? 120_000,
    powerConcurrency: merged.powerConcurrency ?? 16,
    ipmiSessionIdleMs: merged.ipmiSessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
    powerSyncIntervalMs: merged.powerSyncIntervalMs ?? 300_000,
    leaseTtlSeconds: merged.leaseTtlSeconds ?? 10,
    etcdCompactIntervalSeconds: merged.etcdCompactIntervalSeconds ?? DEFAULT_ETCD_COMPACT_INTERVAL_SECONDS,
    eventRetentionDays: merged.eventRetentionDays ?? DEFAULT_EVENT_RETENTION_DAYS,
    eventRetentionMax: merged.eventRetentionMax ?? DEFAULT_EVENT_RETENTION_MAX,
    powerSyncConcurrency: merged.powerSyncConcurrency ?? 8,
    ovnNorthbound: merged.ovnNorthbound ?? null,
    ovnSouthbound: merged.ovnSouthbound ?? null,
    ovnOwner: merged.ovnOwner ?? DEFAULT_OVN_OWNER,
    ovnTls: ovnTls(merged),
    provisioning: provisioning(merged),
    imageDeploy: imageDeploySettings(merged),
    metricsListen: metricsListen(merged.metricsListen ?? DEFAULT_METRICS_LISTEN),
    consoleListen: consoleListen(merged.consoleListen ?? DEFAULT_CONSOLE_LISTEN),
    redfishTls: redfishTls(merged),
    bootListen: boot,
    bootUrl: merged.bootUrl ?? null,
    imageMaxBytes: merged.imageMaxBytes ?? DEFAULT_IMAGE_MAX_BYTES,
    ramdiskDir: merged.ramdiskDir ?? null,
  });
}
