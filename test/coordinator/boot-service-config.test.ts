// The boot service's options (config.ts): off by default; an address machines can reach; the
// image size limit.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../coordinator/src/config.js';

describe('boot service config', () => {
  it('is off by default and listens where bootListen says, from flags or the environment', () => {
    expect(loadConfig({ flags: {}, env: {} })).toMatchObject({ bootListen: null, bootUrl: null, ramdiskDir: null });
    const env = { MOORING_BOOT_LISTEN: '192.0.2.10:8080', MOORING_IMAGE_MAX_BYTES: '1073741824', MOORING_RAMDISK_DIR: '/srv/ramdisk' };
    expect(loadConfig({ flags: {}, env })).toMatchObject({
      bootListen: { host: '192.0.2.10', port: 8080 },
      bootUrl: null,
      imageMaxBytes: 1024 ** 3,
      ramdiskDir: '/srv/ramdisk',
    });
    expect(loadConfig({ flags: { bootListen: 'off' }, env }).bootListen).toBeNull();
  });

  it('needs bootUrl, an IP address, when bootListen is a wildcard', () => {
    expect(() => loadConfig({ flags: { bootListen: '0.0.0.0:8080' }, env: {} })).toThrow(
      new ConfigError('bootUrl: is required when bootListen (0.0.0.0:8080) is a wildcard address: machines need the IP to reach'),
    );
    const config = loadConfig({ flags: { bootListen: '0.0.0.0:8080', bootUrl: 'http://192.0.2.10:8080' }, env: {} });
    expect(config.bootUrl).toBe('http://192.0.2.10:8080');
    expect(() => loadConfig({ flags: { bootListen: '0.0.0.0:8080', bootUrl: 'http://boot.example:8080' }, env: {} })).toThrow(
      /^flags: bootUrl: expected http:\/\/IP:PORT \(an IP address: the ramdisk has no DNS\)/,
    );
    expect(() => loadConfig({ flags: {}, env: { MOORING_BOOT_LISTEN: 'nowhere' } })).toThrow(
      /^environment: bootListen: expected HOST:PORT or "off"/,
    );
    expect(() => loadConfig({ flags: { imageMaxBytes: 1000 }, env: {} })).toThrow(/^flags: imageMaxBytes: /);
  });
});
