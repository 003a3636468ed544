// The coordinators list: from the file (a YAML list), the environment (comma-separated) and a
// repeated --coordinators flag; the single coordinator key still works and reads as a list of one;
// an empty list, a bad or repeated entry, and both keys set are refused naming what was wrong.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig, type LoadAgentConfigInput } from '../../../agent/src/config/agent-config.js';
import { addAgentConfigOptions } from '../../../agent/src/config/config-flags.js';
import { ConfigError } from '../../../agent/src/config/errors.js';

let dir: string;
let ca: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-coordinators-'));
  ca = path.join(dir, 'ca.pem');
  await writeFile(ca, '-----BEGIN CERTIFICATE-----\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function flags(argv: string[]): Record<string, unknown> {
  const cmd = addAgentConfigOptions(new Command('mooring-agent').exitOverride()).action(() => undefined);
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
}

async function addresses(input: LoadAgentConfigInput): Promise<string[]> {
  return (await loadAgentConfig({ env: {}, ...input })).coordinators.map((c) => c.address);
}

async function failure(input: LoadAgentConfigInput): Promise<string> {
  const err = await loadAgentConfig({ env: {}, ...input }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).message;
}

describe('coordinators', () => {
  it('reads a YAML list from the config file, in order', async () => {
    const file = path.join(dir, 'agent.yaml');
    await writeFile(file, `caFile: ${ca}\ncoordinators:\n  - c1.example:7443\n  - "[fd00::2]:7443"\n  - 10.0.0.3:7443\n`);
    const c = await loadAgentConfig({ configFile: file, env: {} });
    expect(c.coordinators).toEqual([
      { host: 'c1.example', port: 7443, address: 'c1.example:7443' },
      { host: 'fd00::2', port: 7443, address: '[fd00::2]:7443' },
      { host: '10.0.0.3', port: 7443, address: '10.0.0.3:7443' },
    ]);
    expect(c.coordinator?.address).toBe('c1.example:7443');
  });

  it('reads a comma-separated list from the environment', async () => {
    expect(await addresses({ env: { MOORING_AGENT_COORDINATORS: 'a:1, b:2', MOORING_AGENT_CA_FILE: ca } })).toEqual(['a:1', 'b:2']);
  });

  it('takes --coordinators repeatedly (and comma-separated)', async () => {
    const opts = flags(['--coordinators', 'a:1', '--coordinators', 'b:2,c:3', '--ca-file', ca]);
    expect(opts.coordinators).toEqual(['a:1', 'b:2', 'c:3']);
    expect(await addresses({ flags: opts })).toEqual(['a:1', 'b:2', 'c:3']);
  });

  it('keeps the single coordinator setting working, as a list of one', async () => {
    expect(await addresses({ flags: { coordinator: 'coord.example:7443', caFile: ca } })).toEqual(['coord.example:7443']);
    expect(await addresses({})).toEqual([]);
  });

  it('refuses an empty list', async () => {
    expect(await failure({ flags: { coordinators: [], caFile: ca } })).toMatch(
      /coordinators: \[\] is empty: give at least one HOST:PORT \(from flag --coordinators\)/,
    );
    expect(await failure({ env: { MOORING_AGENT_COORDINATORS: ' , ', MOORING_AGENT_CA_FILE: ca } })).toMatch(
      /coordinators: " , " is empty: give at least one HOST:PORT \(from env MOORING_AGENT_COORDINATORS\)/,
    );
  });

  it('names the bad entry and its position', async () => {
    const message = await failure({ flags: flags(['--coordinators', 'a:1', '--coordinators', 'b:99999', '--ca-file', ca]) });
    expect(message).toMatch(/coordinators: .* has entry 2 \("b:99999"\), which is not HOST:PORT .*\(from flag --coordinators\)/);
    expect(await failure({ env: { MOORING_AGENT_COORDINATORS: 'a:1,,b:2', MOORING_AGENT_CA_FILE: ca } })).toMatch(
      /has entry 2 \(""\), which is not HOST:PORT/,
    );
    expect(await failure({ env: { MOORING_AGENT_COORDINATORS: 'fd00::1:7443', MOORING_AGENT_CA_FILE: ca } })).toMatch(
      /has entry 1 \("fd00::1:7443"\), which is not HOST:PORT \(port 1-65535; \[brackets\] around IPv6\)/,
    );
  });

  it('refuses an address listed twice', async () => {
    expect(await failure({ env: { MOORING_AGENT_COORDINATORS: 'A.example:1,a.example:1', MOORING_AGENT_CA_FILE: ca } })).toMatch(
      /has entry 2 \("a.example:1"\) twice/,
    );
  });

  it('refuses a non-list value in the file', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, `caFile: ${ca}\ncoordinators: {a: 1}\n`);
    expect(await failure({ configFile: file })).toMatch(/coordinators: .* must be a list of HOST:PORT \(from file /);
  });

  it('refuses coordinator and coordinators both set', async () => {
    expect(await failure({ flags: { coordinators: ['a:1'], caFile: ca }, env: { MOORING_AGENT_COORDINATOR: 'b:2' } })).toMatch(
      /coordinators: is also set as coordinator \(from env MOORING_AGENT_COORDINATOR\); set only one/,
    );
  });

  it('requires caFile with coordinators', async () => {
    expect(await failure({ flags: { coordinators: ['a:1'] } })).toMatch(
      /caFile: is required when coordinators is set \(from flag --coordinators\)/,
    );
  });
});
