// Configuration precedence, defaults, validation messages and the token's secrecy.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig, type LoadAgentConfigInput } from '../../../agent/src/config/agent-config.js';
import { ConfigError, describeSource } from '../../../agent/src/config/errors.js';

let dir: string;
let ca: string;
const TOKEN = 'mtok_s3cr3t-VALUE-never-logged';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-config-'));
  ca = path.join(dir, 'ca.pem');
  await writeFile(ca, '-----BEGIN CERTIFICATE-----\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
}

async function failure(input: LoadAgentConfigInput): Promise<ConfigError> {
  const err = await loadAgentConfig(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('defaults', () => {
  it('fills every key with its documented default', async () => {
    const c = await loadAgentConfig({ env: {}, flags: {} });
    expect(c).toMatchObject({
      configFile: null,
      coordinator: null,
      caFile: null,
      enrollmentToken: null,
      dataDir: '/var/lib/mooring/agent',
      role: 'smartnic',
      ovsdb: { remote: 'unix:/run/openvswitch/db.sock', tls: null },
      bridge: 'br-int',
      datapathType: '',
      statusListen: { host: '127.0.0.1', port: 9180, address: '127.0.0.1:9180' },
      logLevel: 'info',
      heartbeatIntervalMs: 5000,
      applyTimeoutMs: 10_000,
      coordinatorTimeoutMs: 15_000,
    });
    expect(Object.values(c.sources).every((s) => s.kind === 'default')).toBe(true);
  });

  it('returns a deeply frozen object', async () => {
    const c = await loadAgentConfig({ env: {} });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.statusListen)).toBe(true);
    expect(Object.isFrozen(c.ovsdb)).toBe(true);
    expect(Object.isFrozen(c.sources)).toBe(true);
  });
});

describe('precedence: flags > env > file > defaults', () => {
  it('takes each key from the highest source that sets it', async () => {
    const cfg = await file('prec.yaml', 'role: vmhost\nbridge: br-file\nlogLevel: debug\nstatusListen: 127.0.0.1:1111\n');
    const c = await loadAgentConfig({
      configFile: cfg,
      env: { MOORING_AGENT_BRIDGE: 'br-env', MOORING_AGENT_LOG_LEVEL: 'warn', MOORING_AGENT_STATUS_LISTEN: '127.0.0.1:2222' },
      flags: { statusListen: '127.0.0.1:3333', config: 'ignored-when-configFile-given' },
    });
    expect(c.role).toBe('vmhost');
    expect(c.bridge).toBe('br-env');
    expect(c.logLevel).toBe('warn');
    expect(c.statusListen.port).toBe(3333);
    expect(c.datapathType).toBe('');
    const described = Object.fromEntries(Object.entries(c.sources).map(([k, v]) => [k, describeSource(v)]));
    expect(described).toMatchObject({
      role: `file ${cfg}`,
      bridge: 'env MOORING_AGENT_BRIDGE',
      logLevel: 'env MOORING_AGENT_LOG_LEVEL',
      statusListen: 'flag --status-listen',
      datapathType: 'default',
    });
    expect(c.configFile).toBe(cfg);
  });

  it('finds the file from flags.config, then MOORING_AGENT_CONFIG', async () => {
    const a = await file('a.yaml', 'bridge: br-a\n');
    const b = await file('b.yaml', 'bridge: br-b\n');
    expect((await loadAgentConfig({ flags: { config: a }, env: { MOORING_AGENT_CONFIG: b } })).bridge).toBe('br-a');
    expect((await loadAgentConfig({ env: { MOORING_AGENT_CONFIG: b } })).bridge).toBe('br-b');
  });

  it('treats an empty environment variable as unset', async () => {
    const c = await loadAgentConfig({ env: { MOORING_AGENT_BRIDGE: '' } });
    expect(c.bridge).toBe('br-int');
  });
});

describe('normalisation', () => {
  it('parses durations to ms from strings and plain numbers', async () => {
    const cfg = await file('dur.json', JSON.stringify({ heartbeatInterval: 2500, applyTimeout: '1m30s' }));
    const c = await loadAgentConfig({ configFile: cfg, env: {} });
    expect(c.heartbeatIntervalMs).toBe(2500);
    expect(c.applyTimeoutMs).toBe(90_000);
    const d = await loadAgentConfig({ env: { MOORING_AGENT_HEARTBEAT_INTERVAL: '500ms' }, flags: { applyTimeout: '3s' } });
    expect(d.heartbeatIntervalMs).toBe(500);
    expect(d.applyTimeoutMs).toBe(3000);
  });

  it('parses HOST:PORT, IPv6 in brackets, and port 0 for the status listener', async () => {
    const c = await loadAgentConfig({
      env: { MOORING_AGENT_COORDINATOR: 'coord.example:7443', MOORING_AGENT_CA_FILE: ca },
      flags: { statusListen: '[::1]:0' },
    });
    expect(c.coordinator).toEqual({ host: 'coord.example', port: 7443, address: 'coord.example:7443' });
    expect(c.statusListen).toEqual({ host: '::1', port: 0, address: '[::1]:0' });
  });

  it('resolves relative paths against the config file directory, and env/flag paths against cwd', async () => {
    const cfg = await file('paths.yaml', 'dataDir: state\ncaFile: ca.pem\n');
    const c = await loadAgentConfig({ configFile: cfg, env: {} });
    expect(c.dataDir).toBe(path.join(dir, 'state'));
    expect(c.caFile).toBe(ca);
    const d = await loadAgentConfig({ env: { MOORING_AGENT_DATA_DIR: 'rel' }, cwd: '/srv' });
    expect(d.dataDir).toBe('/srv/rel');
  });

  it('normalises the OVSDB remote and collects the TLS files for ssl:', async () => {
    const c = await loadAgentConfig({
      env: {},
      flags: { ovsdbRemote: 'ssl:[::1]:6640', ovsdbPrivateKey: ca, ovsdbCertificate: ca, ovsdbCaCert: ca },
    });
    expect(c.ovsdb).toEqual({ remote: 'ssl:[::1]:6640', tls: { privateKey: ca, certificate: ca, caCert: ca } });
    const t = await loadAgentConfig({ env: { MOORING_AGENT_OVSDB_REMOTE: 'tcp:127.0.0.1' } });
    expect(t.ovsdb).toEqual({ remote: 'tcp:127.0.0.1:6640', tls: null });
  });
});

describe('invalid values name the key, the value and the source', () => {
  const cases: [string, LoadAgentConfigInput, RegExp][] = [
    [
      'statusListen',
      { flags: { statusListen: 'abc' } },
      /^invalid configuration: statusListen: "abc" is not HOST:PORT .*\(from flag --status-listen\)$/,
    ],
    [
      'coordinator',
      { env: { MOORING_AGENT_COORDINATOR: 'coord:0' } },
      /coordinator: "coord:0" is not HOST:PORT .*\(from env MOORING_AGENT_COORDINATOR\)/,
    ],
    ['role', { flags: { role: 'dpu' } }, /role: "dpu" is not one of smartnic, vmhost \(from flag --role\)/],
    [
      'logLevel',
      { env: { MOORING_AGENT_LOG_LEVEL: 'loud' } },
      /logLevel: "loud" is not one of fatal, .* \(from env MOORING_AGENT_LOG_LEVEL\)/,
    ],
    [
      'heartbeatInterval',
      { flags: { heartbeatInterval: '5 parsecs' } },
      /heartbeatInterval: "5 parsecs" is not a duration .*\(from flag --heartbeat-interval\)/,
    ],
    [
      'applyTimeout',
      { env: { MOORING_AGENT_APPLY_TIMEOUT: '0s' } },
      /applyTimeout: "0s" must be more than 0 .*\(from env MOORING_AGENT_APPLY_TIMEOUT\)/,
    ],
    ['ovsdbRemote', { flags: { ovsdbRemote: 'http://x' } }, /ovsdbRemote: "http:\/\/x" is not an OVSDB remote/],
    ['bridge', { flags: { bridge: 'br/int' } }, /bridge: "br\/int" is not a bridge name/],
    ['datapathType', { flags: { datapathType: 'Net Dev' } }, /datapathType: "Net Dev" is not a datapath type/],
    ['dataDir', { env: { MOORING_AGENT_DATA_DIR: '   ' } }, /dataDir: " {3}" must not be empty \(from env MOORING_AGENT_DATA_DIR\)/],
    [
      'caFile',
      { flags: { caFile: '/nonexistent/ca.pem' } },
      /caFile: "\/nonexistent\/ca.pem" cannot be read \(ENOENT\) \(from flag --ca-file\)/,
    ],
    ['caFile required', { flags: { coordinator: 'c:1' } }, /caFile: is required when coordinator is set \(from flag --coordinator\)/],
    [
      'ovsdb TLS',
      { flags: { ovsdbRemote: 'ssl:h:1' } },
      /ovsdbPrivateKey: is required when ovsdbRemote is an ssl: remote .*ovsdbCertificate: .*ovsdbCaCert: /,
    ],
    [
      'unknown env',
      { env: { MOORING_AGENT_BRIGDE: 'x' } },
      /MOORING_AGENT_BRIGDE: unknown environment variable \(from env MOORING_AGENT_BRIGDE\)/,
    ],
  ];
  for (const [name, input, re] of cases) {
    it(name, async () => {
      const err = await failure({ env: {}, ...input });
      expect(err.message).toMatch(re);
    });
  }

  it('names the file as the source of a bad file value, with type errors for non-strings', async () => {
    const cfg = await file('bad.yaml', 'bridge: [a, b]\nstatusListen: 9180\n');
    const err = await failure({ configFile: cfg, env: {} });
    expect(err.message).toContain(`bridge: ["a","b"] must be a string (from file ${cfg})`);
    expect(err.message).toContain(`statusListen: 9180 must be a string (from file ${cfg})`);
    expect(err.issues.map((i) => i.key)).toEqual(['bridge', 'statusListen']);
  });

  it('reports every problem at once', async () => {
    const err = await failure({ env: { MOORING_AGENT_ROLE: 'x' }, flags: { statusListen: 'y', bridge: '' } });
    expect(err.issues.map((i) => i.key).sort()).toEqual(['bridge', 'role', 'statusListen']);
  });
});

describe('enrollment token', () => {
  it('comes from the file, env, or a token file, trimmed, and prints as [redacted]', async () => {
    const tf = await file('token', `${TOKEN}\n`);
    const fromFile = await loadAgentConfig({ env: { MOORING_AGENT_TOKEN_FILE: tf } });
    expect(fromFile.enrollmentToken?.reveal()).toBe(TOKEN);
    const fromEnv = await loadAgentConfig({ env: { MOORING_AGENT_TOKEN: TOKEN } });
    expect(fromEnv.enrollmentToken?.reveal()).toBe(TOKEN);
    const cfg = await file('tok.yaml', `token: ${TOKEN}\n`);
    const c = await loadAgentConfig({ configFile: cfg, env: {} });
    expect(c.enrollmentToken?.reveal()).toBe(TOKEN);
    expect(JSON.stringify(c)).not.toContain(TOKEN);
    expect(JSON.stringify(c)).toContain('"enrollmentToken":"[redacted]"');
    expect(inspect(c, { depth: 5 })).not.toContain(TOKEN);
    expect(String(c.enrollmentToken)).toBe('[redacted]');
  });

  it('has no flag, so it never appears in argv', async () => {
    const c = await loadAgentConfig({ env: {}, flags: { token: TOKEN } });
    expect(c.enrollmentToken).toBeNull();
  });

  it('lets the higher-precedence source win between token and tokenFile, and refuses both at one level', async () => {
    const tf = await file('token2', 'from-file-token');
    const cfg = await file('both.yaml', `token: ${TOKEN}\n`);
    const c = await loadAgentConfig({ configFile: cfg, flags: { tokenFile: tf }, env: {} });
    expect(c.enrollmentToken?.reveal()).toBe('from-file-token');
    const d = await loadAgentConfig({ configFile: cfg, env: { MOORING_AGENT_TOKEN: 'env-token' } });
    expect(d.enrollmentToken?.reveal()).toBe('env-token');
    const err = await failure({ env: { MOORING_AGENT_TOKEN: TOKEN, MOORING_AGENT_TOKEN_FILE: tf } });
    expect(err.message).toContain(
      'token: is also set as tokenFile (from env MOORING_AGENT_TOKEN_FILE); set only one (from env MOORING_AGENT_TOKEN)',
    );
    expect(err.message).not.toContain(TOKEN);
  });

  it('never puts the token in error text', async () => {
    const bad = `${TOKEN} with spaces`;
    const e1 = await failure({ env: { MOORING_AGENT_TOKEN: bad } });
    expect(e1.message).toMatch(/token: \(value hidden\) must be printable ASCII without whitespace \(from env MOORING_AGENT_TOKEN\)/);
    const tf = await file('badtoken', bad);
    const e2 = await failure({ env: { MOORING_AGENT_TOKEN_FILE: tf } });
    expect(e2.message).toContain(`tokenFile: "${tf}" holds no valid token: it must be printable ASCII`);
    const cfg = await file('tokbad.yaml', `token: "${TOKEN}\nrole: [\n`);
    const e3 = await failure({ configFile: cfg, env: {} });
    expect(e3.message).toMatch(/config: not valid YAML/);
    const json = await file('tokbad.json', `{"token": "${TOKEN}", "role": smartnic}`);
    const e4 = await failure({ configFile: json, env: {} });
    expect(e4.message).toMatch(/config: not valid JSON/);
    for (const e of [e1, e2, e3, e4]) {
      expect(e.message).not.toContain(TOKEN);
      expect(inspect(e)).not.toContain(TOKEN);
    }
  });

  it('reports an unreadable or empty token file by path', async () => {
    const missing = path.join(dir, 'no-such-token');
    const err = await failure({ flags: { tokenFile: missing }, env: {} });
    expect(err.message).toContain(`tokenFile: "${missing}" cannot be read (ENOENT) (from flag --token-file)`);
    const empty = await file('empty-token', '\n');
    const e2 = await failure({ flags: { tokenFile: empty }, env: {} });
    expect(e2.message).toContain('holds no valid token: it must not be empty');
  });
});
