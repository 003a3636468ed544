// The agent's configuration, compiled once: the --config file (YAML or JSON), MOORING_AGENT_*
// environment variables and command-line flags, in that order of increasing precedence over the
// defaults -> one zod parse (agentConfigSchema) -> a frozen, fully-required AgentConfig with
// normalised units. Every problem found is reported at once, each naming its key and where the
// value came from.

import { hostname } from 'node:os';
import path from 'node:path';
import { readConfigFile } from './config-file.js';
import {
  checkCoordinatorCa,
  checkCoordinatorSpelling,
  checkReadable,
  ovsdbTlsFiles,
  resolveToken,
  type OvsdbTlsFiles,
} from './config-checks.js';
import {
  agentConfigSchema,
  CONFIG_FILE_ENV,
  CONFIG_KEYS,
  CONFIG_KEY_NAMES,
  isConfigKey,
  type AgentRole,
  type ConfigKey,
  type ConfigValues,
  type LogLevel,
} from './config-schema.js';
import { collectRaw, nonEmptyEnv, unknownEnvIssues, type Environment, type RawConfig } from './config-sources.js';
import { ConfigError, quote, type ConfigIssue, type ConfigSource } from './errors.js';
import { formatHostPort, type HostPort } from './host-port.js';
import { Secret } from './secret.js';
import { resolveLxdSocket } from '../lxd/endpoint.js';
import type { AllowedHost } from '../status/host-policy.js';

export type { OvsdbTlsFiles } from './config-checks.js';

export interface Endpoint extends HostPort {
  /** HOST:PORT as given to a dialer or listener. */
  address: string;
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
  /**
   * The coordinators to try, in order (from coordinators, or the single coordinator); empty: none
   * configured (the link stays disabled). A DNS name here stands for each of its addresses.
   */
  readonly coordinators: readonly Readonly<Endpoint>[];
  /** The first of coordinators, or null: kept for callers that show one address. */
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
  /** Bound on an enrollment or renewal call and on a session's welcome from a coordinator. */
  readonly coordinatorTimeoutMs: number;
  /** SR-IOV: the sysfs root, the NIC tools (nvConfig null: none) and their bounds. */
  readonly sriov: Readonly<{
    sysfsRoot: string;
    ip: string;
    devlink: string;
    nvConfig: string | null;
    toolTimeoutMs: number;
    vfWaitTimeoutMs: number;
  }>;
  /** The LXD endpoint a vmhost agent manages (unused on smartNIC agents). */
  readonly lxd: Readonly<LxdConfig>;
  /** Where each key's value came from, for the start-up log (describeSource() makes it text). */
  readonly sources: Readonly<Record<ConfigKey, ConfigSource>>;
}

export interface LoadAgentConfigInput {
  /** The daemon command's parsed options (commander's opts()); keys not given must be undefined. */
  flags?: Readonly<Record<string, unknown>>;
  /** The environment (process.env in the daemon). */
  env?: Environment;
  /** The config file; default: flags.config, then $MOORING_AGENT_CONFIG. */
  configFile?: string;
  /** Base for relative paths from env and flags (default process.cwd()). */
  cwd?: string;
}

/** Loads and validates the configuration; throws ConfigError listing every problem. */
export async function loadAgentConfig(input: LoadAgentConfigInput = {}): Promise<AgentConfig> {
  const flags = input.flags ?? {};
  const env = input.env ?? {};
  const cwd = input.cwd ?? process.cwd();

  const fileName = input.configFile ?? (typeof flags.config === 'string' ? flags.config : undefined) ?? nonEmptyEnv(env, CONFIG_FILE_ENV);
  const file = fileName === undefined ? undefined : await readConfigFile(path.resolve(cwd, fileName));
  const raw = collectRaw(file, env, flags);
  const { values, issues: valueIssues } = parseValues(raw, cwd);
  const { sources } = raw;
  const issues = [...unknownEnvIssues(env), ...valueIssues];

  const token = await resolveToken(values, sources, issues);
  await checkReadable(
    ['caFile', 'ovsdbPrivateKey', 'ovsdbCertificate', 'ovsdbCaCert', 'lxdCert', 'lxdKey', 'lxdServerCert'],
    values,
    sources,
    issues,
  );
  checkCoordinatorSpelling(sources, issues);
  checkCoordinatorCa(values, sources, issues);
  const tls = ovsdbTlsFiles(values, sources, issues);
  if (issues.length > 0) throw new ConfigError(issues);

  const coordinators = (values.coordinators ?? (values.coordinator ? [values.coordinator] : [])).map(endpoint);
  return deepFreeze({
    configFile: file?.path ?? null,
    coordinators,
    coordinator: coordinators[0] ?? null,
    caFile: values.caFile ?? null,
    enrollmentToken: token,
    dataDir: values.dataDir,
    role: values.role,
    ovsdb: { remote: values.ovsdbRemote, tls },
    bridge: values.bridge,
    datapathType: values.datapathType,
    statusListen: endpoint(values.statusListen),
    statusAllowedHosts: [...values.statusAllowedHosts],
    logLevel: values.logLevel,
    heartbeatIntervalMs: values.heartbeatInterval,
    applyTimeoutMs: values.applyTimeout,
    name: values.name ?? hostname().toLowerCase(),
    reconnectMaxMs: values.reconnectMax,
    coordinatorTimeoutMs: values.coordinatorTimeout,
    sriov: {
      sysfsRoot: values.sysfsRoot,
      ip: values.ipProgram,
      devlink: values.devlinkProgram,
      nvConfig: values.nvConfigProgram || null,
      toolTimeoutMs: values.sriovToolTimeout,
      vfWaitTimeoutMs: values.vfWaitTimeout,
    },
    lxd: lxdConfig(values, env),
    sources,
  });
}

/**
 * The one parse. A bad value becomes an issue naming its key, the value (never a secret's) and its
 * source, first problem per key. The bad keys are then dropped and the rest parsed again, so the
 * cross-key checks still run on every good value and one error lists everything.
 */
function parseValues(raw: RawConfig, cwd: string): { values: ConfigValues; issues: ConfigIssue[] } {
  const baseOf = (key: ConfigKey): string => {
    const source = raw.sources[key];
    return source.kind === 'file' ? path.dirname(source.path) : cwd;
  };
  const schema = agentConfigSchema(baseOf);
  const parsed = schema.safeParse(raw.values);
  if (parsed.success) return { values: parsed.data, issues: [] };

  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string' && !problems.has(key)) problems.set(key, issue.message);
  }
  const issues = CONFIG_KEY_NAMES.flatMap((key): ConfigIssue[] => {
    const problem = problems.get(key);
    if (problem === undefined) return [];
    const shown = CONFIG_KEYS[key].secret ? '(value hidden)' : quote(raw.values[key]);
    return [{ key, source: raw.sources[key], problem: `${shown} ${problem}` }];
  });
  const good = Object.fromEntries(Object.entries(raw.values).filter(([key]) => isConfigKey(key) && !problems.has(key)));
  const rest = schema.safeParse(good);
  // Keys are checked independently, so this cannot fail. If it ever did, name the paths only:
  // zod's own text may carry the values, and a token is among them.
  if (!rest.success || issues.length === 0) {
    throw new Error(`agent configuration schema refused ${parsed.error.issues.map((i) => i.path.join('.') || i.code).join(', ')}`);
  }
  return { values: rest.data, issues };
}

function endpoint(a: HostPort): Endpoint {
  return { host: a.host, port: a.port, address: formatHostPort(a) };
}

/** HTTPS when lxdUrl is set (credential files default to DATA_DIR/lxd/), else the unix socket. */
function lxdConfig(values: ConfigValues, env: Environment): LxdConfig {
  const dir = path.join(values.dataDir, 'lxd');
  return {
    socketPath: values.lxdSocket ?? resolveLxdSocket(env),
    url: values.lxdUrl ? new URL(values.lxdUrl).origin : null,
    files: {
      certFile: values.lxdCert ?? path.join(dir, 'client.crt'),
      keyFile: values.lxdKey ?? path.join(dir, 'client.key'),
      serverCertFile: values.lxdServerCert ?? path.join(dir, 'server.crt'),
    },
    image: values.lxdImage,
    stopGraceMs: values.lxdStopGrace,
  };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !(o instanceof Secret) && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
