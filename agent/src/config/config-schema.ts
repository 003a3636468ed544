// Every agent configuration key in one table: its environment variable, its flag, its default and
// the zod schema that checks one raw value (a string from env or argv, any YAML/JSON value from the
// file) and normalises it (durations to ms, HOST:PORT to host and port). Schema messages are
// predicates ("is not HOST:PORT"); the loader prefixes the key, the value and the source.

import { z } from 'zod';
import { parseDuration } from '../common/duration.js';
import { formatRemote, parseRemote } from '../../../proto/ovsdb/transport.js';
import { parseHostPort, type HostPort } from './host-port.js';
import { parseAllowedHost, type AllowedHost } from '../status/host-policy.js';
import { Secret } from './secret.js';

export const AGENT_ROLES = ['smartnic', 'vmhost'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const ENV_PREFIX = 'MOORING_AGENT_';
/** The environment variable naming the config file (the --config flag wins over it). */
export const CONFIG_FILE_ENV = `${ENV_PREFIX}CONFIG`;

const text = z.string({ error: 'must be a string' });

const nonEmpty = text.trim().min(1, { error: 'must not be empty' });

function hostPort(allowPortZero: boolean): z.ZodType<HostPort, unknown> {
  return text.transform((v, ctx) => {
    const parsed = parseHostPort(v, { allowPortZero });
    if (parsed) return parsed;
    ctx.issues.push({ code: 'custom', message: `is not HOST:PORT (port ${allowPortZero ? '0' : '1'}-65535; [brackets] around IPv6)`, input: v });
    return z.NEVER;
  });
}

/** A duration in ms: a number of ms in the file, or "5s", "500ms", "1m30s" anywhere. */
const duration = z
  .union([z.number(), z.string()], { error: 'must be a duration such as 5s or 500ms' })
  .transform((v, ctx) => {
    let ms: number;
    try {
      ms = typeof v === 'number' ? v : parseDuration(v, 'duration');
    } catch {
      ctx.issues.push({ code: 'custom', message: 'is not a duration (e.g. 500ms, 5s, 1m)', input: v });
      return z.NEVER;
    }
    if (!Number.isFinite(ms) || ms <= 0 || ms > 86_400_000) {
      ctx.issues.push({ code: 'custom', message: 'must be more than 0 and at most 24h', input: v });
      return z.NEVER;
    }
    return Math.round(ms);
  });

// Tokens are opaque printable text; the message never repeats the value.
const token = nonEmpty
  .refine((v) => v.length <= 4096, { error: 'is longer than 4096 characters' })
  .refine((v) => /^[\x21-\x7e]+$/.test(v), { error: 'must be printable ASCII without whitespace' })
  .transform((v) => new Secret(v));

const ovsdbRemote = nonEmpty.transform((v, ctx) => {
  try {
    return formatRemote(parseRemote(v));
  } catch {
    ctx.issues.push({ code: 'custom', message: 'is not an OVSDB remote (unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT)', input: v });
    return z.NEVER;
  }
});

const httpsUrl = nonEmpty.refine(
  (v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' && u.pathname === '/' && !u.search && !u.username;
    } catch {
      return false;
    }
  },
  { error: 'is not an https://HOST:PORT URL' },
);

// Names for the status endpoint's Host check: a list in the file, comma-separated anywhere.
const allowedHosts = z
  .union([z.string(), z.array(z.string())], { error: 'must be a list of HOST, HOST:PORT or .DOMAIN' })
  .transform((v, ctx): AllowedHost[] => {
    const entries = (typeof v === 'string' ? v.split(',') : v).map((e) => e.trim()).filter((e) => e !== '');
    const parsed: AllowedHost[] = [];
    for (const entry of entries) {
      const h = parseAllowedHost(entry);
      if (h) {
        parsed.push(h);
        continue;
      }
      ctx.issues.push({ code: 'custom', message: `has ${JSON.stringify(entry)}, which is not HOST, HOST:PORT or .DOMAIN (no wildcards)`, input: v });
      return z.NEVER;
    }
    return parsed;
  });

// A bridge is a netdev: Linux IFNAMSIZ-1 characters, no whitespace, '/' or ':'.
const bridge = text.regex(/^[^\s/:]{1,15}$/, { error: 'is not a bridge name (1-15 characters, no whitespace, / or :)' });

// The agent id: lowercase DNS-label characters, as the coordinator names agents.
const agentName = text.regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, { error: 'is not an agent name (lowercase letters, digits, . or -, at most 63)' });

const datapathType = text.regex(/^[a-z0-9_-]{0,32}$/, { error: 'is not a datapath type ("", system, netdev, ...)' });

export interface KeySpec {
  /** Environment variable (MOORING_AGENT_...). */
  env: string;
  /** Long flag, or null where a value must not appear in argv (secrets). */
  flag: string | null;
  /** Flag argument placeholder for --help. */
  arg: string;
  description: string;
  /** The value used when no source sets the key (already normalised), or null for "unset". */
  default: unknown;
  /** How --help shows the default, when it is not plain text. */
  defaultText?: string;
  schema: z.ZodType<unknown, unknown>;
  /** A file path: relative values resolve against the config file's directory (file) or the cwd. */
  path?: true;
  /** Never echoed in messages or logs. */
  secret?: true;
}

function key(name: string, arg: string, spec: Omit<KeySpec, 'env' | 'flag' | 'arg'> & { flag?: null }): KeySpec {
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return { env: ENV_PREFIX + kebab.replace(/-/g, '_').toUpperCase(), flag: spec.flag === null ? null : `--${kebab}`, arg, ...spec };
}

export const DEFAULT_DATA_DIR = '/var/lib/mooring/agent';
export const DEFAULT_OVSDB_REMOTE = 'unix:/run/openvswitch/db.sock';

/** The keys, in the order --help lists them. */
export const CONFIG_KEYS = {
  coordinator: key('coordinator', 'host:port', { description: 'coordinator gRPC address', default: null, schema: hostPort(false) }),
  caFile: key('caFile', 'file', { description: "coordinator CA certificate (PEM); required with --coordinator", default: null, schema: nonEmpty, path: true }),
  token: key('token', 'token', { flag: null, description: 'enrollment token (env or file only: never in argv)', default: null, schema: token, secret: true }),
  tokenFile: key('tokenFile', 'file', { description: 'file holding the enrollment token', default: null, schema: nonEmpty, path: true }),
  dataDir: key('dataDir', 'dir', { description: 'state directory (key, certificate, LMDB)', default: DEFAULT_DATA_DIR, schema: nonEmpty, path: true }),
  role: key('role', 'role', { description: 'smartnic or vmhost', default: 'smartnic', schema: z.enum(AGENT_ROLES, { error: 'is not one of smartnic, vmhost' }) }),
  name: key('name', 'name', { description: 'agent name: the certificate subject the enrollment token was made for (default: the host name)', default: null, schema: agentName }),
  ovsdbRemote: key('ovsdbRemote', 'remote', { description: 'OVSDB remote: unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT', default: DEFAULT_OVSDB_REMOTE, schema: ovsdbRemote }),
  ovsdbPrivateKey: key('ovsdbPrivateKey', 'file', { description: 'client key for an ssl: OVSDB remote', default: null, schema: nonEmpty, path: true }),
  ovsdbCertificate: key('ovsdbCertificate', 'file', { description: 'client certificate for an ssl: OVSDB remote', default: null, schema: nonEmpty, path: true }),
  ovsdbCaCert: key('ovsdbCaCert', 'file', { description: 'CA certificate for an ssl: OVSDB remote', default: null, schema: nonEmpty, path: true }),
  bridge: key('bridge', 'name', { description: 'integration bridge', default: 'br-int', schema: bridge }),
  datapathType: key('datapathType', 'type', { description: 'datapath_type of a bridge the agent creates ("" = system)', default: '', defaultText: '""', schema: datapathType }),
  statusListen: key('statusListen', 'host:port', { description: 'status endpoint address', default: { host: '127.0.0.1', port: 9180 }, defaultText: '127.0.0.1:9180', schema: hostPort(true) }),
  statusAllowedHosts: key('statusAllowedHosts', 'hosts', {
    description: 'names besides localhost and the listen address that status clients may send as Host (DNS rebinding check): HOST, HOST:PORT or .DOMAIN, comma-separated',
    default: [],
    defaultText: 'none',
    schema: allowedHosts,
  }),
  logLevel: key('logLevel', 'level', { description: LOG_LEVELS.join(', '), default: 'info', schema: z.enum(LOG_LEVELS, { error: `is not one of ${LOG_LEVELS.join(', ')}` }) }),
  heartbeatInterval: key('heartbeatInterval', 'duration', { description: 'heartbeat interval (e.g. 5s)', default: 5000, defaultText: '5s', schema: duration }),
  reconnectMax: key('reconnectMax', 'duration', { description: 'cap of the jittered reconnect backoff to the coordinator', default: 10_000, defaultText: '10s', schema: duration }),
  applyTimeout: key('applyTimeout', 'duration', { description: 'bound on waiting for ovs-vswitchd to apply a change', default: 10_000, defaultText: '10s', schema: duration }),
  sysfsRoot: key('sysfsRoot', 'dir', { description: 'sysfs root for SR-IOV PFs, VFs and representors', default: '/sys', schema: nonEmpty, path: true }),
  ipProgram: key('ipProgram', 'path', { description: 'iproute2 ip (per-VF settings)', default: 'ip', schema: nonEmpty }),
  devlinkProgram: key('devlinkProgram', 'path', { description: 'devlink (eswitch mode, port functions, firmware)', default: 'devlink', schema: nonEmpty }),
  nvConfigProgram: key('nvConfigProgram', 'path', { description: 'mlxconfig or mstconfig for BlueField modes ("" = none)', default: 'mlxconfig', schema: text }),
  sriovToolTimeout: key('sriovToolTimeout', 'duration', { description: 'bound on one ip/devlink/mlxconfig call', default: 30_000, defaultText: '30s', schema: duration }),
  vfWaitTimeout: key('vfWaitTimeout', 'duration', { description: 'bound on waiting for enabled VFs and their netdevs', default: 30_000, defaultText: '30s', schema: duration }),
  lxdSocket: key('lxdSocket', 'path', { description: 'vmhost: LXD unix socket (default: $LXD_SOCKET, $LXD_DIR/unix.socket, the snap or /var/lib/lxd socket)', default: null, schema: nonEmpty, path: true }),
  lxdUrl: key('lxdUrl', 'url', { description: 'vmhost: LXD HTTPS API (https://HOST:PORT) instead of the unix socket', default: null, schema: httpsUrl }),
  lxdCert: key('lxdCert', 'file', { description: 'vmhost: client certificate for --lxd-url (default DATA_DIR/lxd/client.crt)', default: null, schema: nonEmpty, path: true }),
  lxdKey: key('lxdKey', 'file', { description: 'vmhost: client key for --lxd-url (default DATA_DIR/lxd/client.key)', default: null, schema: nonEmpty, path: true }),
  lxdServerCert: key('lxdServerCert', 'file', { description: "vmhost: LXD's server certificate, pinned (default DATA_DIR/lxd/server.crt)", default: null, schema: nonEmpty, path: true }),
  lxdImage: key('lxdImage', 'alias', { description: 'vmhost: image for compose requests naming none ("" = empty instance that netboots)', default: '', defaultText: '""', schema: text }),
  lxdStopGrace: key('lxdStopGrace', 'duration', { description: 'vmhost: clean-shutdown bound before a stop is forced', default: 30_000, defaultText: '30s', schema: duration }),
} satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

export const CONFIG_KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKey[];

export function isConfigKey(name: string): name is ConfigKey {
  return Object.hasOwn(CONFIG_KEYS, name);
}
