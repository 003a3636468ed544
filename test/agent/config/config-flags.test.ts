// The daemon's flags parse through commander into loadAgentConfig with flag precedence.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addAgentConfigOptions, agentConfigOptions } from '../../../agent/src/config/config-flags.js';
import { loadAgentConfig } from '../../../agent/src/config/agent-config.js';
import { CONFIG_KEYS, CONFIG_KEY_NAMES } from '../../../agent/src/config/config-schema.js';

function parse(argv: string[]): Record<string, unknown> {
  const cmd = addAgentConfigOptions(new Command('mooring-agent').exitOverride()).action(() => undefined);
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
}

describe('agent config flags', () => {
  it('has one flag per key except the token, plus --config', () => {
    const longs = agentConfigOptions().map((o) => o.long);
    expect(longs).toContain('--config');
    expect(longs).not.toContain('--token');
    for (const k of CONFIG_KEY_NAMES) if (k !== 'token') expect(longs).toContain(CONFIG_KEYS[k].flag);
  });

  it('leaves flags that were not given undefined, so env and file still apply', async () => {
    const opts = parse(['--status-listen', '127.0.0.1:0', '--role', 'vmhost']);
    expect(opts).toEqual({ statusListen: '127.0.0.1:0', role: 'vmhost' });
    const c = await loadAgentConfig({ flags: opts, env: { MOORING_AGENT_ROLE: 'smartnic', MOORING_AGENT_BRIDGE: 'br-env' } });
    expect(c.role).toBe('vmhost');
    expect(c.bridge).toBe('br-env');
    expect(c.statusListen.port).toBe(0);
  });

  it('maps every kebab-case flag to its key', async () => {
    const opts = parse([
      '--ovsdb-remote',
      'tcp:127.0.0.1:6641',
      '--datapath-type',
      'netdev',
      '--heartbeat-interval',
      '1s',
      '--apply-timeout',
      '2s',
      '--data-dir',
      '/tmp/x',
      '--log-level',
      'warn',
      '--bridge',
      'br-x',
    ]);
    const c = await loadAgentConfig({ flags: opts, env: {} });
    expect(c).toMatchObject({
      ovsdb: { remote: 'tcp:127.0.0.1:6641' },
      datapathType: 'netdev',
      heartbeatIntervalMs: 1000,
      applyTimeoutMs: 2000,
      dataDir: '/tmp/x',
      logLevel: 'warn',
      bridge: 'br-x',
    });
    expect(c.sources.datapathType).toEqual({ kind: 'flag', flag: '--datapath-type' });
  });

  it('shows defaults and environment variables in --help', () => {
    const cmd = addAgentConfigOptions(new Command('mooring-agent').configureHelp({ helpWidth: 300 }));
    const help = cmd.helpInformation();
    expect(help).toContain('--status-listen <host:port>');
    expect(help).toContain('default 127.0.0.1:9180');
    expect(help).toContain('env MOORING_AGENT_STATUS_LISTEN');
    expect(help).toContain('default 5s');
  });
});
