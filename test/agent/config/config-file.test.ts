// The --config file: YAML and JSON, format detection, unknown keys, parse errors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, readConfigFile } from '../../../agent/src/config/config-file.js';
import { loadAgentConfig } from '../../../agent/src/config/agent-config.js';
import { ConfigError } from '../../../agent/src/config/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-config-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
}

async function error(p: string): Promise<ConfigError> {
  const err = await readConfigFile(p).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

const YAML_TEXT = `# agent on a smartNIC
role: vmhost
bridge: br-tenant
datapathType: netdev
statusListen: "127.0.0.1:9999"
heartbeatInterval: 2s
applyTimeout: 500ms
logLevel: debug
`;

describe('config file', () => {
  it('reads YAML', async () => {
    const c = await loadAgentConfig({ configFile: await file('agent.yaml', YAML_TEXT), env: {} });
    expect(c).toMatchObject({
      role: 'vmhost',
      bridge: 'br-tenant',
      datapathType: 'netdev',
      heartbeatIntervalMs: 2000,
      applyTimeoutMs: 500,
      logLevel: 'debug',
    });
    expect(c.statusListen.port).toBe(9999);
  });

  it('reads JSON', async () => {
    const json = JSON.stringify({ role: 'vmhost', bridge: 'br-j', heartbeatInterval: '1s', applyTimeout: 250 });
    const c = await loadAgentConfig({ configFile: await file('agent.json', json), env: {} });
    expect(c).toMatchObject({ role: 'vmhost', bridge: 'br-j', heartbeatIntervalMs: 1000, applyTimeoutMs: 250 });
  });

  it('chooses the format by extension, else by content', () => {
    expect(detectFormat('/x/a.json', 'role: x')).toBe('json');
    expect(detectFormat('/x/a.yml', '{}')).toBe('yaml');
    expect(detectFormat('/x/a.YAML', '{}')).toBe('yaml');
    expect(detectFormat('/x/agent.conf', '  {"role": "vmhost"}')).toBe('json');
    expect(detectFormat('/x/agent.conf', 'role: vmhost')).toBe('yaml');
  });

  it('reads JSON and YAML content from a file without a known extension', async () => {
    expect((await readConfigFile(await file('a.conf', '{"bridge": "br-c"}'))).format).toBe('json');
    const y = await readConfigFile(await file('b.conf', 'bridge: br-d\n'));
    expect(y).toMatchObject({ format: 'yaml', values: { bridge: 'br-d' } });
  });

  it('treats an empty file and null values as unset', async () => {
    expect((await readConfigFile(await file('empty.yaml', ''))).values).toEqual({});
    expect((await readConfigFile(await file('nulls.yaml', 'bridge:\nrole: vmhost\n'))).values).toEqual({ role: 'vmhost' });
  });

  it('rejects an unknown key, naming it and the file', async () => {
    const p = await file('typo.yaml', 'role: vmhost\nstatusListn: 127.0.0.1:1\n');
    const err = await error(p);
    expect(err.message).toMatch(
      new RegExp(
        `^invalid configuration: statusListn: unknown key \\(known keys: coordinator, coordinators, caFile, .*\\) \\(from file ${p}\\)$`,
      ),
    );
    expect(err.issues).toEqual([expect.objectContaining({ key: 'statusListn' })]);
  });

  it('rejects a top level that is not a mapping', async () => {
    expect((await error(await file('list.yaml', '- a\n- b\n'))).message).toContain('config: the top level must be a mapping');
    expect((await error(await file('scalar.json', '42'))).message).toContain('config: the top level must be a mapping');
  });

  it('reports parse errors with their position, and duplicate YAML keys', async () => {
    expect((await error(await file('bad.json', '{\n  "role": "vmhost",\n}'))).message).toMatch(
      /config: not valid JSON \(at line 3 column \d+\)/,
    );
    expect((await error(await file('bad.yaml', 'role: [vmhost\n'))).message).toMatch(
      /config: not valid YAML \(\w+ at line \d+ column \d+\)/,
    );
    expect((await error(await file('dup.yaml', 'role: a\nrole: b\n'))).message).toMatch(/not valid YAML \(DUPLICATE_KEY/);
  });

  it('reports a missing file', async () => {
    const p = path.join(dir, 'missing.yaml');
    expect((await error(p)).message).toBe(`invalid configuration: config: cannot read the file (ENOENT) (from file ${p})`);
  });
});
