// The coordinator's OVN keys: ovnNorthbound, ovnSouthbound, ovnOwner and the TLS files for ssl:
// remotes, from the environment, flags and the config file; what is wrong is named by its key, and
// a private key readable by group or others is refused as the other key files are.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../coordinator/src/config.js';
import { fabricSource } from '../../coordinator/src/networks/fabric-gate.js';
import { OvnNorthbound } from '../../coordinator/src/ovn/ovn-northbound.js';
import { createCa, writeKeyAndCert, writePem } from '../harness/pki.js';

let dir: string;
let tlsEnv: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mooring-ovn-config-'));
  const ca = createCa('OVN config CA');
  const client = await writeKeyAndCert(dir, 'client', ca.issue('mooring-coordinator'));
  tlsEnv = {
    MOORING_OVN_PRIVATE_KEY: client.keyFile,
    MOORING_OVN_CERTIFICATE: client.certFile,
    MOORING_OVN_CA_CERT: await writePem(dir, 'ca.pem', ca.cert),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OVN configuration', () => {
  it('defaults: no OVN, owner "mooring", no TLS', () => {
    const config = loadConfig({ flags: {}, env: {} });
    expect({ nb: config.ovnNorthbound, sb: config.ovnSouthbound, owner: config.ovnOwner, tls: config.ovnTls }).toEqual({
      nb: null,
      sb: null,
      owner: 'mooring',
      tls: null,
    });
  });

  it('takes every key from the environment, flags over environment, and the config file', () => {
    const config = loadConfig({
      flags: { ovnOwner: 'fleet-b' },
      env: {
        MOORING_OVN_NORTHBOUND: 'ssl:10.0.0.5:6641',
        MOORING_OVN_SOUTHBOUND: 'tcp:10.0.0.5:6642',
        MOORING_OVN_OWNER: 'fleet-a',
        ...tlsEnv,
      },
    });
    expect(config.ovnNorthbound).toBe('ssl:10.0.0.5:6641');
    expect(config.ovnSouthbound).toBe('tcp:10.0.0.5:6642');
    expect(config.ovnOwner).toBe('fleet-b');
    expect(config.ovnTls).toEqual({
      privateKey: tlsEnv['MOORING_OVN_PRIVATE_KEY'],
      certificate: tlsEnv['MOORING_OVN_CERTIFICATE'],
      caCert: tlsEnv['MOORING_OVN_CA_CERT'],
    });
    const file = join(dir, 'coordinator.yaml');
    writeFileSync(file, 'ovnNorthbound: unix:/run/ovn/ovnnb_db.sock\novnOwner: site-1\n');
    expect(loadConfig({ flags: { config: file }, env: {} })).toMatchObject({
      ovnNorthbound: 'unix:/run/ovn/ovnnb_db.sock',
      ovnOwner: 'site-1',
      ovnTls: null,
    });
  });

  it('names what is wrong', () => {
    const load = (env: Record<string, string>) => () => loadConfig({ flags: {}, env });
    expect(load({ MOORING_OVN_NORTHBOUND: 'ssl:10.0.0.5:6641' })).toThrow(
      new ConfigError(
        'ovnPrivateKey: is required because the OVN remote ssl:10.0.0.5:6641 is ssl: (ovnPrivateKey, ovnCertificate and ovnCaCert ' +
          'go together)',
      ),
    );
    expect(
      load({
        MOORING_OVN_NORTHBOUND: 'tcp:10.0.0.5:6641',
        MOORING_OVN_SOUTHBOUND: 'ssl:10.0.0.5:6642',
        MOORING_OVN_PRIVATE_KEY: tlsEnv['MOORING_OVN_PRIVATE_KEY']!,
      }),
    ).toThrow(/^ovnCertificate: is required because the OVN remote ssl:10\.0\.0\.5:6642 is ssl:/);
    expect(load({ MOORING_OVN_SOUTHBOUND: 'tcp:10.0.0.5:6642' })).toThrow(/^ovnSouthbound: is set but ovnNorthbound is not/);
    expect(load({ MOORING_OVN_OWNER: 'two words' })).toThrow(/^environment: ovnOwner: expected 1-64 letters/);
    expect(load({ MOORING_OVN_NORTHBOUND: 'ssl:10.0.0.5:6641', ...tlsEnv, MOORING_OVN_CA_CERT: join(dir, 'absent.pem') })).toThrow(
      new ConfigError(`ovnCaCert: ${JSON.stringify(join(dir, 'absent.pem'))} cannot be read (ENOENT)`),
    );
  });

  it('refuses a private key readable by group or others, without reading it', () => {
    const key = join(dir, 'open.key');
    writeFileSync(key, 'not even a key');
    chmodSync(key, 0o644);
    expect(() =>
      loadConfig({ flags: {}, env: { MOORING_OVN_NORTHBOUND: 'ssl:10.0.0.5:6641', ...tlsEnv, MOORING_OVN_PRIVATE_KEY: key } }),
    ).toThrow(
      new ConfigError(`ovnPrivateKey: ${JSON.stringify(key)} is mode 0644; a private key must be readable by its owner only (chmod 600)`),
    );
    chmodSync(key, 0o640);
    expect(() =>
      loadConfig({ flags: {}, env: { MOORING_OVN_NORTHBOUND: 'ssl:10.0.0.5:6641', ...tlsEnv, MOORING_OVN_PRIVATE_KEY: key } }),
    ).toThrow(/is mode 0640/);
  });

  it('builds an OvnNorthbound from the config (closed by its owner), and none without a northbound', () => {
    expect(fabricSource(loadConfig({ flags: {}, env: {} }), undefined)).toEqual({
      type: 'absent',
      reason: 'OVN northbound not configured',
    });
    const source = fabricSource(
      loadConfig({ flags: {}, env: { MOORING_OVN_NORTHBOUND: `unix:${join(dir, 'no-nb.sock')}`, MOORING_OVN_OWNER: 'fleet-x' } }),
      undefined,
    );
    expect(source.type).toBe('configured');
    if (source.type !== 'configured') return;
    expect(source.fabric).toBeInstanceOf(OvnNorthbound);
    expect(source.close).toBeTypeOf('function');
    source.close?.();
  });
});
