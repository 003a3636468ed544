// CA verification against the Redfish BMC SIMULATION served over HTTPS with a certificate from a
// throwaway CA (test/harness/pki.ts): the right CA file works, a wrong CA or the system CAs fail
// clearly and without retries, and insecure mode (labs) works; a machine's own TLS setting (CA file,
// system CAs, off) wins over the driver's default.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedfishCaFileError, RedfishTlsError } from '../../../coordinator/src/power/errors.js';
import { redfishDriver, type RedfishDriverOptions, type RedfishPowerDriver } from '../../../coordinator/src/power/redfish/index.js';
import { createCa, writePem } from '../../harness/pki.js';
import { RedfishBmcSimulation } from '../../harness/redfish-bmc.js';
import { capturedLogger, redfishTarget } from '../../harness/redfish-target.js';

let dir: string;
let bmc: RedfishBmcSimulation;
let rightCaFile: string;
let wrongCaFile: string;
const drivers: RedfishPowerDriver[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-redfish-tls-'));
  const ca = createCa('BMC vendor CA');
  const wrong = createCa('Some other CA');
  rightCaFile = await writePem(dir, 'bmc-ca.pem', ca.cert);
  wrongCaFile = await writePem(dir, 'other-ca.pem', wrong.cert);
  bmc = await RedfishBmcSimulation.start({ tls: ca.issue('127.0.0.1'), powerState: 'On' });
});

afterEach(async () => {
  for (const driver of drivers.splice(0)) await driver.close();
});

afterAll(async () => {
  await bmc.close();
  await rm(dir, { recursive: true, force: true });
});

function driverWith(tls: Pick<RedfishDriverOptions, 'caFile' | 'insecure'>): RedfishPowerDriver {
  const driver = redfishDriver({
    ...tls,
    pollIntervalMs: 10,
    settleTimeoutMs: 5_000,
    retryInitialMs: 10,
    retryMaxMs: 50,
    logger: capturedLogger().logger,
  });
  drivers.push(driver);
  return driver;
}

describe('redfish TLS verification (Redfish BMC simulation over HTTPS)', () => {
  it('trusts the BMC with the right CA file', async () => {
    expect(bmc.url).toMatch(/^https:/);
    expect(await driverWith({ caFile: rightCaFile }).queryState(redfishTarget(bmc.url), AbortSignal.timeout(10_000))).toBe('on');
  });

  it('refuses a BMC whose certificate the CA file does not sign, at once', async () => {
    const before = bmc.requests.length;
    const error: unknown = await driverWith({ caFile: wrongCaFile })
      .queryState(redfishTarget(bmc.url), AbortSignal.timeout(10_000))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishTlsError);
    expect((error as Error).message).toMatch(new RegExp(`^TLS to Redfish BMC ${bmc.url} failed \\(\\w+\\)`));
    expect(bmc.requests.length).toBe(before);
  });

  it('refuses it with the system CAs too', async () => {
    await expect(driverWith({}).queryState(redfishTarget(bmc.url), AbortSignal.timeout(10_000))).rejects.toThrow(RedfishTlsError);
  });

  it('talks to it in insecure mode', async () => {
    expect(await driverWith({ insecure: true }).queryState(redfishTarget(bmc.url), AbortSignal.timeout(10_000))).toBe('on');
  });

  it('refuses caFile together with insecure', () => {
    expect(() => driverWith({ caFile: rightCaFile, insecure: true })).toThrow(/exclude each other/);
  });

  it("a machine's own CA file is used whatever the driver's default, and its 'off' skips verification", async () => {
    const driver = driverWith({ caFile: wrongCaFile });
    const own = redfishTarget(bmc.url, 'admin', 'bmc-secret-pw', { verify: 'ca-file', caFile: rightCaFile }, 'm-own-ca');
    expect(await driver.queryState(own, AbortSignal.timeout(10_000))).toBe('on');
    const off = redfishTarget(bmc.url, 'admin', 'bmc-secret-pw', { verify: 'off' }, 'm-no-verify');
    expect(await driver.queryState(off, AbortSignal.timeout(10_000))).toBe('on');
    // 'default' takes the driver's (the coordinator's) CA file, here the wrong one.
    await expect(driver.queryState(redfishTarget(bmc.url), AbortSignal.timeout(10_000))).rejects.toThrow(RedfishTlsError);
  });

  it("a machine's 'default' takes the driver's default CA file; 'system-cas' overrides it", async () => {
    const driver = driverWith({ caFile: rightCaFile });
    expect(await driver.queryState(redfishTarget(bmc.url), AbortSignal.timeout(10_000))).toBe('on');
    const system = redfishTarget(bmc.url, 'admin', 'bmc-secret-pw', { verify: 'system-cas' }, 'm-system-cas');
    await expect(driver.queryState(system, AbortSignal.timeout(10_000))).rejects.toThrow(RedfishTlsError);
  });

  it('a CA file that went missing is a clear error naming it, and nothing is sent', async () => {
    const before = bmc.requests.length;
    const missing = path.join(dir, 'gone.pem');
    const error: unknown = await driverWith({})
      .queryState(redfishTarget(bmc.url, 'admin', 'bmc-secret-pw', { verify: 'ca-file', caFile: missing }), AbortSignal.timeout(10_000))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishCaFileError);
    expect((error as Error).message).toBe(`Redfish CA file ${missing} cannot be read (ENOENT)`);
    expect(bmc.requests.length).toBe(before);
  });
});
