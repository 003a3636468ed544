// The agent's configuration, compiled once: the --config file (YAML or JSON), MOORING_AGENT_*
// environment variables and command-line flags, in that order of increasing precedence over the
// defaults, validated key by key into a frozen, fully-required AgentConfig with normalised units.
// Every problem found is reported at once, each naming its key and where the value came from.

import { access, constants } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ConfigError, describeSource, type ConfigIssue, type ConfigSource } from './errors.js';
import { readConfigFile } from './config-file.js';
import { CONFIG_FILE_ENV, CONFIG_KEYS, CONFIG_KEY_NAMES, ENV_PREFIX, type AgentRole, type ConfigKey, type LogLevel } from './config-schema.js';
import { formatHostPort, type HostPort } from './host-port.js';
import { Secret } from './secret.js';
import { readSecretFile, SecretFileError } from '../../../proto/shared/secret-file.js';
import { resolveLxdSocket } from '../lxd/endpoint.js';
import type { AllowedHost } from '../status/host-policy.js';

export interface Endpoint extends HostPort {
  /** HOST:PORT as given to a dialer or listener. */
  address: string;
}

export interface OvsdbTlsFiles {
  privateKey: string;
  certificate: string;
  caCert: string;
}

export interface LxdConfig {
  /** The unix socket, used when url is null. */
  socketPath: string;
  /** https://HOST:PORT of LXD's API, or null for the unix socket. */
  url: string | null;
  /** Client key and certificate and the pinned server certificate (default DATA_DIR/lxd/). */
  files: Readonly<{ certFile: string; keyFile: string; serverCertFile: string }>;
  image: string;
  stopGraceMs: number;
}

export interface AgentConfig {
  /** Absolute path of the config file read, if any. */
  readonly configFile: string | null;
  /** null: no coordinator configured (the link stays disabled). */
  readonly coordinator: Readonly<Endpoint> | null;
  readonly caFile: string | null;
  /** The enrollment token, from token or read from tokenFile; prints as [redacted]. */
  readonly enrollmentToken: Secret | null;
  readonly dataDir: string;
  readonly role: AgentRole;
  readonly ovsdb: Readonly<{ remote: string; tls: Readonly<OvsdbTlsFiles> | null }>;
  readonly bridge: string;
  readonly datapathType: string;
  readonly statusListen: Readonly<Endpoint>;
  /** Host values the status endpoint answers besides localhost and the listen address. */
  readonly statusAllowedHosts: readonly Readonly<AllowedHost>[];
  readonly logLevel: LogLevel;
  readonly heartbeatIntervalMs: number;
  readonly applyTimeoutMs: number;
  /** Agent name for enrollment; the host name (lowercased) when not set. */
  readonly name: string;
  readonly reconnectMaxMs: number;
  /** SR-IOV: the sysfs root, the NIC tools (nvConfig null: none) and their bounds. */
  readonly sriov: Readonly<{ sysfsRoot: string; ip: string; devlink: string; nvConfig: string | null; toolTimeoutMs: number; vfWaitTimeoutMs: number }>;
  /** The LXD endpoint a vmhost agent manages (unused on smartNIC agents). */
  readonly lxd: Readonly<LxdConfig>;
  /** Where each key's value came from, for the start-up log (describeSource() makes it text). */
  readonly sources: Readonly<Record<ConfigKey, ConfigSource>>;
}

export interface LoadAgentConfigInput {
  /** The daemon command's parsed options (commander's opts()); keys not given must be undefined. */
  flags?: Readonly<Record<string, unknown>>;
  /** The environment (process.env in the daemon). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The config file; default: flags.config, then $MOORING_AGENT_CONFIG. */
  configFile?: string;
  /** Base for relative paths from env and flags (default process.cwd()). */
  cwd?: string;
}

interface Raw {
  value: unknown;
  source: ConfigSource;
}

const RANK: Record<ConfigSource['kind'], number> = { default: 0, file: 1, env: 2, flag: 3 };

/** Loads and validates the configuration; throws ConfigError listing every problem. */
export async function loadAgentConfig(input: LoadAgentConfigInput = {}): Promise<AgentConfig> {
  const flags = input.flags ?? {};
  const env = input.env ?? {};
  const cwd = input.cwd ?? process.cwd();
  const issues: ConfigIssue[] = [];

  const fileName = input.configFile ?? (typeof flags.config === 'string' ? flags.config : undefined) ?? nonEmptyEnv(env, CONFIG_FILE_ENV);
  const file = fileName === undefined ? undefined : await readConfigFile(path.resolve(cwd, fileName));

  const known = new Set([CONFIG_FILE_ENV, ...CONFIG_KEY_NAMES.map((k) => CONFIG_KEYS[k].env)]);
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith(ENV_PREFIX) && !known.has(name)) {
      issues.push({ key: name, source: { kind: 'env', name }, problem: 'unknown environment variable' });
    }
  }

  // The highest-precedence raw value of each key.
  const raw = new Map<ConfigKey, Raw>();
  for (const key of CONFIG_KEY_NAMES) {
    const spec: { env: string; flag: string | null } = CONFIG_KEYS[key];
    const fromFlag = spec.flag === null ? undefined : flags[key];
    const fromEnv = nonEmptyEnv(env, spec.env);
    const fromFile = file?.values[key];
    if (fromFlag !== undefined && spec.flag !== null) raw.set(key, { value: fromFlag, source: { kind: 'flag', flag: spec.flag } });
    else if (fromEnv !== undefined) raw.set(key, { value: fromEnv, source: { kind: 'env', name: spec.env } });
    else if (fromFile !== undefined && file) raw.set(key, { value: fromFile, source: { kind: 'file', path: file.path } });
  }

  const value = new Map<ConfigKey, unknown>();
  const sources = {} as Record<ConfigKey, ConfigSource>;
  for (const key of CONFIG_KEY_NAMES) {
    const spec: { default: unknown; schema: (typeof CONFIG_KEYS)[ConfigKey]['schema']; path?: true; secret?: true } = CONFIG_KEYS[key];
    const r = raw.get(key);
    sources[key] = r?.source ?? { kind: 'default' };
    if (!r) {
      value.set(key, spec.default);
      continue;
    }
    const parsed = spec.schema.safeParse(r.value);
    if (!parsed.success) {
      const problem = parsed.error.issues[0]?.message ?? 'is invalid';
      issues.push({ key, source: r.source, problem: spec.secret ? `(value hidden) ${problem}` : `${quote(r.value)} ${problem}` });
      continue;
    }
    const base = r.source.kind === 'file' ? path.dirname(r.source.path) : cwd;
    value.set(key, spec.path ? path.resolve(base, parsed.data as string) : parsed.data);
  }

  const token = await resolveToken(raw, value, issues);
  await checkReadable(['caFile', 'ovsdbPrivateKey', 'ovsdbCertificate', 'ovsdbCaCert', 'lxdCert', 'lxdKey', 'lxdServerCert'], raw, value, issues);

  const coordinator = value.get('coordinator') as HostPort | null | undefined;
  if (coordinator && value.get('caFile') === null) {
    issues.push({ key: 'caFile', source: raw.get('coordinator')!.source, problem: 'is required when coordinator is set' });
  }
  const tls = ovsdbTls(raw, value, issues);

  if (issues.length > 0) throw new ConfigError(issues);
  const listen = value.get('statusListen') as HostPort;
  return deepFreeze({
    configFile: file?.path ?? null,
    coordinator: coordinator ? { ...coordinator, address: formatHostPort(coordinator) } : null,
    caFile: value.get('caFile') as string | null,
    enrollmentToken: token,
    dataDir: value.get('dataDir') as string,
    role: value.get('role') as AgentRole,
    ovsdb: { remote: value.get('ovsdbRemote') as string, tls },
    bridge: value.get('bridge') as string,
    datapathType: value.get('datapathType') as string,
    statusListen: { ...listen, address: formatHostPort(listen) },
    statusAllowedHosts: [...(value.get('statusAllowedHosts') as AllowedHost[])],
    logLevel: value.get('logLevel') as LogLevel,
    heartbeatIntervalMs: value.get('heartbeatInterval') as number,
    applyTimeoutMs: value.get('applyTimeout') as number,
    name: (value.get('name') as string | null) ?? hostname().toLowerCase(),
    reconnectMaxMs: value.get('reconnectMax') as number,
    sriov: {
      sysfsRoot: value.get('sysfsRoot') as string,
      ip: value.get('ipProgram') as string,
      devlink: value.get('devlinkProgram') as string,
      nvConfig: (value.get('nvConfigProgram') as string) || null,
      toolTimeoutMs: value.get('sriovToolTimeout') as number,
      vfWaitTimeoutMs: value.get('vfWaitTimeout') as number,
    },
    lxd: lxdConfig(value, env),
    sources,
  });
}

/**
 * token and tokenFile are two spellings of one setting: the one from the higher-precedence source
 * wins; both from the same kind of source is ambiguous and an error. A token file is read here,
 * trimmed, and checked like a token, so a bad file fails at start without echoing its content.
 */
async function resolveToken(raw: Map<ConfigKey, Raw>, value: Map<ConfigKey, unknown>, issues: ConfigIssue[]): Promise<Secret | null> {
  const direct = raw.get('token');
  const viaFile = raw.get('tokenFile');
  if (direct && viaFile && RANK[direct.source.kind] === RANK[viaFile.source.kind]) {
    issues.push({ key: 'token', source: direct.source, problem: `is also set as tokenFile (from ${describeSource(viaFile.source)}); set only one` });
    return null;
  }
  if (direct && (!viaFile || RANK[direct.source.kind] > RANK[viaFile.source.kind])) return (value.get('token') as Secret | undefined) ?? null;
  const file = value.get('tokenFile');
  if (!viaFile || typeof file !== 'string') return null;
  let content: string;
  try {
    // A regular file of bounded size only: tokenFile=/dev/zero must fail at once, not fill memory.
    content = await readSecretFile(file);
  } catch (err) {
    const why = err instanceof SecretFileError ? err.reason : `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    issues.push({ key: 'tokenFile', source: viaFile.source, problem: `${quote(file)} ${why}` });
    return null;
  }
  const parsed = CONFIG_KEYS.token.schema.safeParse(content.trim());
  if (parsed.success) return parsed.data as Secret;
  issues.push({ key: 'tokenFile', source: viaFile.source, problem: `${quote(file)} holds no valid token: it ${parsed.error.issues[0]?.message ?? 'is invalid'}` });
  return null;
}

/** Certificate and key files must be readable now, not at the first connection attempt. */
async function checkReadable(keys: ConfigKey[], raw: Map<ConfigKey, Raw>, value: Map<ConfigKey, unknown>, issues: ConfigIssue[]): Promise<void> {
  await Promise.all(
    keys.map(async (key) => {
      const file = value.get(key);
      const r = raw.get(key);
      if (typeof file !== 'string' || !r) return;
      try {
        await access(file, constants.R_OK);
      } catch (err) {
        issues.push({ key, source: r.source, problem: `${quote(file)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      }
    }),
  );
}

/** OVS always asks for a client certificate on ssl:, so an ssl: remote needs all three files. */
function ovsdbTls(raw: Map<ConfigKey, Raw>, value: Map<ConfigKey, unknown>, issues: ConfigIssue[]): OvsdbTlsFiles | null {
  const files = { privateKey: value.get('ovsdbPrivateKey'), certificate: value.get('ovsdbCertificate'), caCert: value.get('ovsdbCaCert') };
  const remote = value.get('ovsdbRemote');
  const remoteSource = raw.get('ovsdbRemote')?.source ?? { kind: 'default' };
  if (typeof remote !== 'string' || !remote.startsWith('ssl:')) return null;
  const missing = (['ovsdbPrivateKey', 'ovsdbCertificate', 'ovsdbCaCert'] as const).filter((k) => value.get(k) === null);
  for (const k of missing) issues.push({ key: k, source: remoteSource, problem: `is required when ovsdbRemote is an ssl: remote (${remote})` });
  if (missing.length > 0 || Object.values(files).some((f) => typeof f !== 'string')) return null;
  return files as OvsdbTlsFiles;
}

/** HTTPS when lxdUrl is set (credential files default to DATA_DIR/lxd/), else the unix socket. */
function lxdConfig(value: Map<ConfigKey, unknown>, env: Readonly<Record<string, string | undefined>>): LxdConfig {
  const url = value.get('lxdUrl') as string | null;
  const dir = path.join(value.get('dataDir') as string, 'lxd');
  const file = (key: ConfigKey, name: string): string => (value.get(key) as string | null) ?? path.join(dir, name);
  return {
    socketPath: (value.get('lxdSocket') as string | null) ?? resolveLxdSocket(env),
    url: url ? new URL(url).origin : null,
    files: { certFile: file('lxdCert', 'client.crt'), keyFile: file('lxdKey', 'client.key'), serverCertFile: file('lxdServerCert', 'server.crt') },
    image: value.get('lxdImage') as string,
    stopGraceMs: value.get('lxdStopGrace') as number,
  };
}

function nonEmptyEnv(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** A value for a message: JSON-quoted and cut to a readable length. */
function quote(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !(o instanceof Secret) && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
