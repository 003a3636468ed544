// The one schema of the agent's configuration: a single parse turns raw values into typed,
// normalised values with defaults, each bad key reported under its own name, and the key table
// and the schema name the same keys.
import { describe, expect, it } from 'vitest';
import { agentConfigSchema, CONFIG_KEY_NAMES, defaultValue, type ConfigKey } from '../../../agent/src/config/config-schema.js';

const baseOf = (key: ConfigKey): string => (key === 'caFile' ? '/etc/mooring' : '/srv');

describe('agentConfigSchema', () => {
  it('parses raw values into typed values in one go, defaults filled and paths resolved per key', () => {
    const values = agentConfigSchema(baseOf).parse({
      caFile: 'ca.pem',
      dataDir: 'state',
      heartbeatInterval: '2s',
      statusListen: '[::1]:0',
      statusAllowedHosts: 'A.example, .fleet.example',
      role: 'vmhost',
    });
    expect(values).toMatchObject({
      caFile: '/etc/mooring/ca.pem',
      dataDir: '/srv/state',
      heartbeatInterval: 2000,
      statusListen: { host: '::1', port: 0 },
      role: 'vmhost',
      bridge: 'br-int',
      ovsdbRemote: 'unix:/run/openvswitch/db.sock',
      reconnectMax: 10_000,
      sysfsRoot: '/sys',
    });
    expect(values.statusAllowedHosts).toHaveLength(2);
    expect(values.coordinator).toBeUndefined();
    expect(values.token).toBeUndefined();
  });

  it('reports every bad key at once, each under its own key', () => {
    const result = agentConfigSchema(baseOf).safeParse({ bridge: 5, role: 'dpu', applyTimeout: '0s', logLevel: 'info' });
    expect(result.success).toBe(false);
    const keys = new Set(result.error?.issues.map((i) => i.path[0]));
    expect([...keys].sort()).toEqual(['applyTimeout', 'bridge', 'role']);
    expect(result.error?.issues.find((i) => i.path[0] === 'role')?.message).toBe('is not one of smartnic, vmhost');
  });

  it('refuses a key the table does not name', () => {
    expect(agentConfigSchema(baseOf).safeParse({ brigde: 'br-x' }).success).toBe(false);
  });

  it('names exactly the keys of the key table, in its order', () => {
    expect(Object.keys(agentConfigSchema(baseOf).shape)).toEqual([...CONFIG_KEY_NAMES]);
  });

  it('gives --help the defaults the parse uses', () => {
    expect(defaultValue('bridge')).toBe('br-int');
    expect(defaultValue('dataDir')).toBe('/var/lib/mooring/agent');
    expect(defaultValue('heartbeatInterval')).toBe(5000);
    expect(defaultValue('coordinator')).toBeUndefined();
  });
});
