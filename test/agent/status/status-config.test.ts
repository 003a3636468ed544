// The statusAllowedHosts configuration key: a list in the file, comma-separated in the environment
// and on the command line, normalised once, none by default, and a clear error for a wildcard.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../../../agent/src/config/agent-config.js';
import { ConfigError } from '../../../agent/src/config/errors.js';
import { formatAllowedHost } from '../../../agent/src/status/host-policy.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-status-config-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('statusAllowedHosts', () => {
  it('is empty by default', async () => {
    const c = await loadAgentConfig({ env: {}, flags: {} });
    expect(c.statusAllowedHosts).toEqual([]);
  });

  it('reads a YAML list from the file, normalised', async () => {
    const file = path.join(dir, 'agent.yaml');
    await writeFile(file, 'statusListen: 0.0.0.0:9180\nstatusAllowedHosts: [NIC7.lab.example, "proxy.example:443", .fleet.example]\n');
    const c = await loadAgentConfig({ env: {}, flags: {}, configFile: file });
    expect(c.statusAllowedHosts.map(formatAllowedHost)).toEqual(['nic7.lab.example', 'proxy.example:443', '.fleet.example']);
    expect(c.sources.statusAllowedHosts).toEqual({ kind: 'file', path: file });
    expect(Object.isFrozen(c.statusAllowedHosts)).toBe(true);
  });

  it('reads a comma-separated list from the environment and the flag, the flag winning', async () => {
    const fromEnv = await loadAgentConfig({ env: { MOORING_AGENT_STATUS_ALLOWED_HOSTS: 'a.example, [2001:db8::5]:9180' }, flags: {} });
    expect(fromEnv.statusAllowedHosts.map(formatAllowedHost)).toEqual(['a.example', '[2001:db8::5]:9180']);
    const fromFlag = await loadAgentConfig({
      env: { MOORING_AGENT_STATUS_ALLOWED_HOSTS: 'a.example' },
      flags: { statusAllowedHosts: 'b.example' },
    });
    expect(fromFlag.statusAllowedHosts.map(formatAllowedHost)).toEqual(['b.example']);
    expect(fromFlag.sources.statusAllowedHosts).toEqual({ kind: 'flag', flag: '--status-allowed-hosts' });
  });

  it('refuses a wildcard or a malformed entry, naming the key, the entry and the source', async () => {
    const err = await loadAgentConfig({ env: {}, flags: { statusAllowedHosts: 'nic7.lab.example,*' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      'invalid configuration: statusAllowedHosts: "nic7.lab.example,*" has "*", which is not HOST, HOST:PORT or .DOMAIN (no ' +
        'wildcards) (from flag --status-allowed-hosts)',
    );
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'statusAllowedHosts: 9180\n');
    await expect(loadAgentConfig({ env: {}, flags: {}, configFile: file })).rejects.toThrow(
      `statusAllowedHosts: 9180 must be a list of HOST, HOST:PORT or .DOMAIN (from file ${file})`,
    );
  });
});
