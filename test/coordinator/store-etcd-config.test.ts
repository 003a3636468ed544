// --store and the --etcd-* options through the coordinator's config loader: the default stays
// LMDB in the data dir; etcd endpoints, prefix and TLS files are parsed into one typed location;
// every mistake is refused with the option that is wrong and why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATA_DIR, loadConfig, type ConfigInputs } from '../../coordinator/src/config.js';
import { DEFAULT_ETCD_BATCH_GATHER_MS, DEFAULT_ETCD_BATCH_REJOIN_MS } from '../../coordinator/src/store/store-location.js';

const load = (flags: ConfigInputs['flags'], env: ConfigInputs['env'] = {}): ReturnType<typeof loadConfig> => loadConfig({ flags, env });

function refusal(flags: ConfigInputs['flags'], env: ConfigInputs['env'] = {}): string {
  try {
    load(flags, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('store location in the coordinator config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-store-config-'));
  const ca = join(dir, 'ca.pem');
  const cert = join(dir, 'client.pem');
  const key = join(dir, 'client.key');
  for (const file of [ca, cert, key]) writeFileSync(file, 'PEM', { mode: 0o600 });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps LMDB in the data dir by default, and takes lmdb:DIR', () => {
    expect(load({}).store).toEqual({ type: 'lmdb', dir: DEFAULT_DATA_DIR });
    expect(load({ dataDir: '/srv/m' }).store).toEqual({ type: 'lmdb', dir: '/srv/m' });
    const config = load({ store: 'lmdb:/srv/fleet' });
    expect(config.store).toEqual({ type: 'lmdb', dir: '/srv/fleet' });
    expect(config.dataDir).toBe('/srv/fleet');
    expect(load({}, { MOORING_STORE: 'lmdb:/from/env' }).dataDir).toBe('/from/env');
  });

  it('parses etcd members, the prefix and the TLS files', () => {
    const plain = load({ store: 'etcd:http://127.0.0.1:2379, http://127.0.0.2:2379/', dataDir: '/srv/local' });
    const endpoints = ['http://127.0.0.1:2379', 'http://127.0.0.2:2379'];
    const defaults = { batchGatherMs: DEFAULT_ETCD_BATCH_GATHER_MS, batchRejoinMs: DEFAULT_ETCD_BATCH_REJOIN_MS };
    expect(plain.store).toEqual({ type: 'etcd', endpoints, prefix: '/mooring', tls: null, ...defaults });
    expect(plain.dataDir).toBe('/srv/local'); // local files (CA, keys) stay in the data dir
    const store = 'etcd:https://e1:2379,https://e2:2379,https://e3:2379';
    const secure = load({
      store,
      etcdCa: ca,
      etcdCert: cert,
      etcdKey: key,
      etcdPrefix: '/dc1/mooring',
      etcdBatchGatherMs: 0,
      etcdBatchRejoinMs: 5,
    });
    expect(secure.store).toEqual({
      type: 'etcd',
      endpoints: ['https://e1:2379', 'https://e2:2379', 'https://e3:2379'],
      prefix: '/dc1/mooring',
      tls: { caFile: ca, certFile: cert, keyFile: key },
      batchGatherMs: 0,
      batchRejoinMs: 5,
    });
    const fromEnv = load({}, { MOORING_STORE: 'etcd:https://e1:2379', MOORING_ETCD_CA: ca });
    expect(fromEnv.store).toMatchObject({ tls: { caFile: ca, certFile: null } });
    const waitsFromEnv = { MOORING_STORE: 'etcd:http://e1:2379', MOORING_ETCD_BATCH_GATHER_MS: '10', MOORING_ETCD_BATCH_REJOIN_MS: '0' };
    expect(load({}, waitsFromEnv).store).toMatchObject({ batchGatherMs: 10, batchRejoinMs: 0 });
  });

  it('refuses a mistaken store with the option and the reason', () => {
    expect(refusal({ store: 'redis:h:6379' })).toMatch(/^store: expected lmdb:DIR or etcd:URL\[,URL\.\.\.\] .*got redis:h:6379$/);
    expect(refusal({ store: 'lmdb:' })).toMatch(/^store: lmdb: needs a directory/);
    expect(refusal({ store: 'lmdb:/a', dataDir: '/b' })).toMatch(/^store: lmdb:\/a names another directory than dataDir \/b/);
    expect(refusal({ store: 'etcd:' })).toMatch(/^store: "" is not a URL/);
    expect(refusal({ store: 'etcd:http://e1' })).toMatch(/^store: http:\/\/e1: give the member's client port/);
    expect(refusal({ store: 'etcd:ftp://e1:2379' })).toMatch(/^store: ftp:\/\/e1:2379: etcd members are reached over http:\/\//);
    expect(refusal({ store: 'etcd:http://e1:2379/v3' })).toMatch(/no path/);
    expect(refusal({ store: 'etcd:http://e1:2379,http://e1:2379' })).toMatch(/^store: an etcd member is listed twice/);
    expect(refusal({ store: 'etcd:http://e1:2379,https://e2:2379', etcdCa: ca })).toMatch(/^store: mixes http:\/\/ and https:\/\//);
    expect(refusal({ store: 'etcd:https://e1:2379' })).toMatch(/^etcdCa: is required with https:\/\/ members/);
    expect(refusal({ store: 'etcd:https://e1:2379', etcdCa: ca, etcdCert: cert })).toMatch(/^etcdKey: etcdCert and etcdKey go together/);
    expect(refusal({ store: 'etcd:http://e1:2379', etcdCa: ca })).toMatch(/^etcdCa: is given but the etcd members are http:\/\//);
    const missing = join(dir, 'missing.pem');
    expect(refusal({ store: 'etcd:https://e1:2379', etcdCa: missing })).toMatch(/^etcdCa: cannot read .*missing\.pem \(ENOENT\)/);
    expect(refusal({ store: 'etcd:http://e1:2379', etcdPrefix: 'mooring/' })).toMatch(/^etcdPrefix: "mooring\/": expected \/NAME/);
    expect(refusal({ etcdPrefix: '/mooring' })).toMatch(/^etcdPrefix: applies only to --store etcd:/);
    expect(refusal({ etcdBatchGatherMs: 4 })).toMatch(/^etcdBatchGatherMs: applies only to --store etcd:/);
    const tooLong = refusal({ store: 'etcd:http://e1:2379', etcdBatchGatherMs: 101 });
    expect(tooLong).toMatch(/^flags: etcdBatchGatherMs: Too big: expected number to be <=100/);
    expect(refusal({ store: 'etcd:http://e1:2379' }, { MOORING_ETCD_BATCH_GATHER_MS: 'soon' })).toMatch(/etcdBatchGatherMs/);
    expect(refusal({ etcdBatchRejoinMs: 10 })).toMatch(/^etcdBatchRejoinMs: applies only to --store etcd:/);
    expect(refusal({ store: 'etcd:http://e1:2379', etcdBatchRejoinMs: -1 })).toMatch(/^flags: etcdBatchRejoinMs: Too small/);
  });
});
