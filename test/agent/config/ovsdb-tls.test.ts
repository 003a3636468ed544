// Reading the OVSDB client TLS files named by the configuration, and a full example file using every key.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../../../agent/src/config/agent-config.js';
import { readOvsdbTls } from '../../../agent/src/config/ovsdb-tls.js';
import { ConfigError } from '../../../agent/src/config/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-config-tls-'));
  for (const f of ['key.pem', 'cert.pem', 'ca.pem', 'coord-ca.pem']) await writeFile(path.join(dir, f), `PEM ${f}\n`);
  await writeFile(path.join(dir, 'token'), 'mtok_example\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const EXAMPLE = `# /etc/mooring/agent.yaml
coordinator: coord.example:7443
caFile: coord-ca.pem
tokenFile: token
dataDir: /var/lib/mooring/agent
role: smartnic
ovsdbRemote: ssl:127.0.0.1:6640
ovsdbPrivateKey: key.pem
ovsdbCertificate: cert.pem
ovsdbCaCert: ca.pem
bridge: br-int
datapathType: netdev
statusListen: 127.0.0.1:9180
logLevel: info
heartbeatInterval: 5s
applyTimeout: 10s
`;

describe('OVSDB TLS and a full example file', () => {
  it('accepts every key from a file and reads the TLS material', async () => {
    const file = path.join(dir, 'agent.yaml');
    await writeFile(file, EXAMPLE);
    const c = await loadAgentConfig({ configFile: file, env: {} });
    expect(c.coordinator?.address).toBe('coord.example:7443');
    expect(c.caFile).toBe(path.join(dir, 'coord-ca.pem'));
    expect(c.enrollmentToken?.reveal()).toBe('mtok_example');
    expect(c.ovsdb.remote).toBe('ssl:127.0.0.1:6640');
    expect(await readOvsdbTls(c)).toEqual({ key: 'PEM key.pem\n', cert: 'PEM cert.pem\n', ca: 'PEM ca.pem\n' });
  });

  it('returns undefined for a unix: remote', async () => {
    expect(await readOvsdbTls(await loadAgentConfig({ env: {} }))).toBeUndefined();
  });

  it('names the key when a file vanished after loading', async () => {
    const key = path.join(dir, 'gone.pem');
    await writeFile(key, 'x');
    const c = await loadAgentConfig({
      env: {},
      flags: { ovsdbRemote: 'ssl:h:1', ovsdbPrivateKey: key, ovsdbCertificate: key, ovsdbCaCert: key },
    });
    await rm(key);
    const err = await readOvsdbTls(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`ovsdbPrivateKey: "${key}" cannot be read (ENOENT) (from flag --ovsdb-private-key)`);
  });
});
