// Every agent configuration key, twice over and checked against each other by the compiler:
// CONFIG_KEYS names it (environment variable, flag, --help text) and agentConfigSchema() gives its
// zod schema and default. The loader parses all raw values with that one object schema, so the
// typed values come out of zod, not out of casts.

import { z } from 'zod';
import {
  agentName,
  allowedHosts,
  bridge,
  datapathType,
  duration,
  filePath,
  hostPort,
  hostPortList,
  httpsUrl,
  nonEmpty,
  ovsdbRemote,
  text,
  token,
} from './config-values.js';

export const AGENT_ROLES = ['smartnic', 'vmhost'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const ENV_PREFIX = 'MOORING_AGENT_';
/** The environment variable naming the config file (the --config flag wins over it). */
export const CONFIG_FILE_ENV = `${ENV_PREFIX}CONFIG`;

export const DEFAULT_DATA_DIR = '/var/lib/mooring/agent';
export const DEFAULT_OVSDB_REMOTE = 'unix:/run/openvswitch/db.sock';

export interface KeySpec {
  /** Environment variable (MOORING_AGENT_...). */
  env: string;
  /** Long flag, or null where a value must not appear in argv (secrets). */
  flag: string | null;
  /** Flag argument placeholder for --help. */
  arg: string;
  description: string;
  /** How --help shows the default, when the schema's default is not plain text. */
  defaultText?: string;
  /** Never echoed in messages or logs. */
  secret?: true;
}

function key(name: string, arg: string, spec: Omit<KeySpec, 'env' | 'flag' | 'arg'> & { flag?: null }): KeySpec {
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return { env: ENV_PREFIX + kebab.replace(/-/g, '_').toUpperCase(), flag: spec.flag === null ? null : `--${kebab}`, arg, ...spec };
}

/** The keys, in the order --help lists them and errors report them. */
export const CONFIG_KEYS = {
  coordinator: key('coordinator', 'host:port', { description: 'coordinator gRPC address (one; see --coordinators for several)' }),
  coordinators: key('coordinators', 'host:port', {
    description:
      'coordinator gRPC addresses, tried in turn when a session dies (repeat the flag or comma-separate; a DNS name ' +
      'stands for each of its addresses)',
  }),
  caFile: key('caFile', 'file', { description: 'coordinator CA certificate (PEM); required with --coordinator(s)' }),
  token: key('token', 'token', { flag: null, description: 'enrollment token (env or file only: never in argv)', secret: true }),
  tokenFile: key('tokenFile', 'file', { description: 'file holding the enrollment token' }),
  dataDir: key('dataDir', 'dir', { description: 'state directory (key, certificate, LMDB)' }),
  role: key('role', 'role', { description: 'smartnic or vmhost' }),
  name: key('name', 'name', {
    description: 'agent name: the certificate subject the enrollment token was made for (default: the host name)',
  }),
  ovsdbRemote: key('ovsdbRemote', 'remote', { description: 'OVSDB remote: unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT' }),
  ovsdbPrivateKey: key('ovsdbPrivateKey', 'file', { description: 'client key for an ssl: OVSDB remote' }),
  ovsdbCertificate: key('ovsdbCertificate', 'file', { description: 'client certificate for an ssl: OVSDB remote' }),
  ovsdbCaCert: key('ovsdbCaCert', 'file', { description: 'CA certificate for an ssl: OVSDB remote' }),
  bridge: key('bridge', 'name', { description: 'integration bridge' }),
  datapathType: key('datapathType', 'type', {
    description: 'datapath_type of a bridge the agent creates ("" = system)',
    defaultText: '""',
  }),
  statusListen: key('statusListen', 'host:port', { description: 'status endpoint address', defaultText: '127.0.0.1:9180' }),
  statusAllowedHosts: key('statusAllowedHosts', 'hosts', {
    description:
      'names besides localhost and the listen address that status clients may send as Host (DNS rebinding check): HOST, HOST:PORT ' +
      'or .DOMAIN, comma-separated',
    defaultText: 'none',
  }),
  logLevel: key('logLevel', 'level', { description: LOG_LEVELS.join(', ') }),
  heartbeatInterval: key('heartbeatInterval', 'duration', { description: 'heartbeat interval (e.g. 5s)', defaultText: '5s' }),
  reconnectMax: key('reconnectMax', 'duration', {
    description: 'cap of the jittered reconnect backoff to the coordinator',
    defaultText: '10s',
  }),
  coordinatorTimeout: key('coordinatorTimeout', 'duration', {
    description: "bound on an enrollment or renewal call and on a session's welcome (a silent coordinator is left for the next)",
    defaultText: '15s',
  }),
  applyTimeout: key('applyTimeout', 'duration', { description: 'bound on waiting for ovs-vswitchd to apply a change', defaultText: '10s' }),
  sysfsRoot: key('sysfsRoot', 'dir', { description: 'sysfs root for SR-IOV PFs, VFs and representors' }),
  ipProgram: key('ipProgram', 'path', { description: 'iproute2 ip (per-VF settings)' }),
  devlinkProgram: key('devlinkProgram', 'path', { description: 'devlink (eswitch mode, port functions, firmware)' }),
  nvConfigProgram: key('nvConfigProgram', 'path', { description: 'mlxconfig or mstconfig for BlueField modes ("" = none)' }),
  sriovToolTimeout: key('sriovToolTimeout', 'duration', { description: 'bound on one ip/devlink/mlxconfig call', defaultText: '30s' }),
  vfWaitTimeout: key('vfWaitTimeout', 'duration', {
    description: 'bound on waiting for enabled VFs and their netdevs',
    defaultText: '30s',
  }),
  lxdSocket: key('lxdSocket', 'path', {
    description: 'vmhost: LXD unix socket (default: $LXD_SOCKET, $LXD_DIR/unix.socket, the snap or /var/lib/lxd socket)',
  }),
  lxdUrl: key('lxdUrl', 'url', { description: 'vmhost: LXD HTTPS API (https://HOST:PORT) instead of the unix socket' }),
  lxdCert: key('lxdCert', 'file', { description: 'vmhost: client certificate for --lxd-url (default DATA_DIR/lxd/client.crt)' }),
  lxdKey: key('lxdKey', 'file', { description: 'vmhost: client key for --lxd-url (default DATA_DIR/lxd/client.key)' }),
  lxdServerCert: key('lxdServerCert', 'file', {
    description: "vmhost: LXD's server certificate, pinned (default DATA_DIR/lxd/server.crt)",
  }),
  lxdImage: key('lxdImage', 'alias', {
    description: 'vmhost: image for compose requests naming none ("" = empty instance that netboots)',
    defaultText: '""',
  }),
  lxdStopGrace: key('lxdStopGrace', 'duration', {
    description: 'vmhost: clean-shutdown bound before a stop is forced',
    defaultText: '30s',
  }),
} satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

export function isConfigKey(name: string): name is ConfigKey {
  return Object.hasOwn(CONFIG_KEYS, name);
}

export const CONFIG_KEY_NAMES: readonly ConfigKey[] = Object.keys(CONFIG_KEYS).filter(isConfigKey);

/**
 * The one schema of the agent's configuration: each key's value schema, its default (keys without
 * one are optional: unset), and file paths resolved against baseOf(key), which depends on the
 * source the value came from. It has no cross-key rules, so each key's issues are its own.
 */
// The inferred zod object type is the point: it is what makes the parsed values typed.
// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function agentConfigSchema(baseOf: (key: ConfigKey) => string) {
  return z.strictObject({
    coordinator: hostPort(false).optional(),
    coordinators: hostPortList.optional(),
    caFile: filePath(baseOf('caFile')).optional(),
    token: token.optional(),
    tokenFile: filePath(baseOf('tokenFile')).optional(),
    dataDir: filePath(baseOf('dataDir')).default(DEFAULT_DATA_DIR),
    role: z.enum(AGENT_ROLES, { error: 'is not one of smartnic, vmhost' }).default('smartnic'),
    name: agentName.optional(),
    ovsdbRemote: ovsdbRemote.default(DEFAULT_OVSDB_REMOTE),
    ovsdbPrivateKey: filePath(baseOf('ovsdbPrivateKey')).optional(),
    ovsdbCertificate: filePath(baseOf('ovsdbCertificate')).optional(),
    ovsdbCaCert: filePath(baseOf('ovsdbCaCert')).optional(),
    bridge: bridge.default('br-int'),
    datapathType: datapathType.default(''),
    statusListen: hostPort(true).default({ host: '127.0.0.1', port: 9180 }),
    statusAllowedHosts: allowedHosts.default([]),
    logLevel: z.enum(LOG_LEVELS, { error: `is not one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    heartbeatInterval: duration.default(5000),
    reconnectMax: duration.default(10_000),
    coordinatorTimeout: duration.default(15_000),
    applyTimeout: duration.default(10_000),
    sysfsRoot: filePath(baseOf('sysfsRoot')).default('/sys'),
    ipProgram: nonEmpty.default('ip'),
    devlinkProgram: nonEmpty.default('devlink'),
    nvConfigProgram: text.default('mlxconfig'),
    sriovToolTimeout: duration.default(30_000),
    vfWaitTimeout: duration.default(30_000),
    lxdSocket: filePath(baseOf('lxdSocket')).optional(),
    lxdUrl: httpsUrl.optional(),
    lxdCert: filePath(baseOf('lxdCert')).optional(),
    lxdKey: filePath(baseOf('lxdKey')).optional(),
    lxdServerCert: filePath(baseOf('lxdServerCert')).optional(),
    lxdImage: text.default(''),
    lxdStopGrace: duration.default(30_000),
  } satisfies Record<ConfigKey, z.ZodType>);
}

/** The parsed values: every key typed, defaults filled, unset optional keys undefined. */
export type ConfigValues = z.output<ReturnType<typeof agentConfigSchema>>;

/** A key's default as the schema gives it (undefined: unset), for --help. */
export function defaultValue(key: ConfigKey): unknown {
  const schema: z.ZodType = agentConfigSchema(() => '/').shape[key];
  return schema.parse(undefined);
}
