// metricsListen: loopback port 9181 by default, HOST:PORT from file, environment or flag, "off"
// for none; a bad value is refused naming the key and where it came from.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../coordinator/src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'mooring-metrics-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('metricsListen', () => {
  it('defaults to 127.0.0.1:9181 and is taken from the file, the environment and the flags, in that order', () => {
    expect(loadConfig({ flags: {}, env: {} }).metricsListen).toEqual({ host: '127.0.0.1', port: 9181 });
    const file = join(dir, 'coordinator.yaml');
    writeFileSync(file, 'metricsListen: 10.0.0.1:9100\n');
    expect(loadConfig({ flags: { config: file }, env: {} }).metricsListen).toEqual({ host: '10.0.0.1', port: 9100 });
    expect(loadConfig({ flags: { config: file }, env: { MOORING_METRICS_LISTEN: '[::1]:9200' } }).metricsListen).toEqual({
      host: '::1',
      port: 9200,
    });
    expect(
      loadConfig({ flags: { config: file, metricsListen: '0.0.0.0:9300' }, env: { MOORING_METRICS_LISTEN: '[::1]:9200' } }).metricsListen,
    ).toEqual({ host: '0.0.0.0', port: 9300 });
  });

  it('is null when "off"', () => {
    expect(loadConfig({ flags: {}, env: { MOORING_METRICS_LISTEN: 'off' } }).metricsListen).toBeNull();
  });

  it('refuses a value that is neither HOST:PORT nor "off", naming the key', () => {
    expect(() => loadConfig({ flags: { metricsListen: '9181' }, env: {} })).toThrow(
      new ConfigError('flags: metricsListen: expected HOST:PORT or "off"'),
    );
    expect(() => loadConfig({ flags: {}, env: { MOORING_METRICS_LISTEN: 'no' } })).toThrow(/^environment: metricsListen: /);
    expect(() => loadConfig({ flags: { metricsListen: '127.0.0.1:70000' }, env: {} })).toThrow(
      new ConfigError('metricsListen: port 70000 is out of range'),
    );
  });
});
