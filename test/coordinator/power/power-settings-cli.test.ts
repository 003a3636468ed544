// The new power settings from the operator's side: moorctl enlist flags through the built CLI
// against a real coordinator, what `machine show` says, and the coordinator's Redfish TLS default
// from its config file, environment and flags.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../coordinator/src/config.js';
import { moorctl } from '../../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../../harness/coordinator-fixture.js';
import { createCa } from '../../harness/pki.js';

let f: CoordinatorFixture;
let dir: string;
let caFile: string;
let env: Record<string, string>;
const admin = (...args: string[]): ReturnType<typeof moorctl> => moorctl(['--token-file', join(f.dataDir, 'admin.token'), ...args], env);
const enlist = (hostname: string, ...args: string[]): ReturnType<typeof moorctl> =>
  admin('machine', 'enlist', '--hostname', hostname, '--cores', '4', '--memory', '8G', '--power-user', 'admin', ...args);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mooring-power-cli-'));
  caFile = join(dir, 'bmc-ca.pem');
  writeFileSync(caFile, createCa('BMC vendor CA').cert);
  f = await startCoordinator();
  env = { MOORING_COORDINATOR: f.address, MOORING_CA: join(f.dataDir, 'ca.crt'), MOORING_POWER_PASSWORD: 'bmc-pw' };
});

afterAll(async () => {
  await f?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('moorctl machine enlist power settings', () => {
  it('takes the IPMI cipher suite and shows it', async () => {
    const result = await enlist('cli-ipmi-17', '--power-driver', 'ipmi', '--power-address', '10.0.0.5', '--ipmi-cipher-suite', '17');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/power\s+ipmi 10\.0\.0\.5 user=admin password=set boot=uefi cipher-suite=17\n/);
    const plain = await enlist('cli-ipmi-3', '--power-driver', 'ipmi', '--power-address', '10.0.0.6');
    expect(plain.stdout).toMatch(/power\s+ipmi 10\.0\.0\.6 user=admin password=set boot=uefi cipher-suite=3\n/);
  });

  it('takes the Redfish CA file or TLS verification and shows them', async () => {
    const own = await enlist('cli-rf-ca', '--power-driver', 'redfish', '--power-address', 'https://10.0.0.7', '--redfish-ca-file', caFile);
    expect(own.stderr).toBe('');
    expect(own.stdout).toContain(`ca-file=${caFile}`);
    const off = await enlist(
      'cli-rf-off',
      '--power-driver',
      'redfish',
      '--power-address',
      'https://10.0.0.8',
      '--redfish-tls-verify',
      'off',
    );
    expect(off.stdout).toContain('tls-verify=off');
    const system = await enlist(
      'cli-rf-on',
      '--power-driver',
      'redfish',
      '--power-address',
      'https://10.0.0.9',
      '--redfish-tls-verify',
      'on',
    );
    expect(system.stdout).toContain('tls-verify=system-cas');
  });

  it('refuses bad settings with the field and what to do', async () => {
    const zero = await enlist('cli-bad-1', '--power-driver', 'ipmi', '--power-address', '10.0.0.5', '--ipmi-cipher-suite', '0');
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toContain('--ipmi-cipher-suite: suite 0 logs in without authentication; use 3, 8, 12 or 17');
    const inAddress = await enlist('cli-bad-2', '--power-driver', 'ipmi', '--power-address', '10.0.0.5;cipher=17');
    expect(inAddress.code).not.toBe(0);
    expect(inAddress.stderr).toContain('give it as power.ipmi_cipher_suite (moorctl --ipmi-cipher-suite)');
    const wrongDriver = await enlist('cli-bad-3', '--power-driver', 'manual', '--redfish-tls-verify', 'off');
    expect(wrongDriver.code).not.toBe(0);
    expect(wrongDriver.stderr).toContain('power.redfish_tls_verify: applies to the redfish driver only');
    const hostnames = (await admin('machine', 'list')).stdout;
    expect(hostnames).not.toMatch(/cli-bad/);
  });
});

describe("the coordinator's Redfish TLS default", () => {
  const load = (flags: Record<string, unknown>, environment: Record<string, string> = {}): ReturnType<typeof loadConfig> =>
    loadConfig({ flags: { dataDir: dir, ...flags }, env: environment });

  it('is the system CAs unless a CA file or insecure mode is given, by flag, environment or file', () => {
    expect(load({}).redfishTls).toEqual({ verify: 'system-cas' });
    expect(load({ redfishCaFile: caFile }).redfishTls).toEqual({ verify: 'ca-file', caFile });
    expect(load({}, { MOORING_REDFISH_INSECURE: 'true' }).redfishTls).toEqual({ verify: 'off' });
    expect(load({}, { MOORING_REDFISH_INSECURE: 'false' }).redfishTls).toEqual({ verify: 'system-cas' });
    const file = join(dir, 'coordinator.yaml');
    writeFileSync(file, `redfishCaFile: ${caFile}\n`);
    expect(load({ config: file }).redfishTls).toEqual({ verify: 'ca-file', caFile });
  });

  it('refuses a CA file it cannot use, and a CA file together with insecure mode', () => {
    expect(() => load({ redfishCaFile: join(dir, 'nope.pem') })).toThrow(ConfigError);
    expect(() => load({ redfishCaFile: join(dir, 'nope.pem') })).toThrow(/^redfishCaFile: .*nope\.pem cannot be read \(ENOENT\)$/);
    expect(() => load({ redfishCaFile: caFile, redfishInsecure: true })).toThrow(/redfishInsecure: is set together with redfishCaFile/);
  });
});
