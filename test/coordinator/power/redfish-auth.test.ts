// Redfish authentication against the Redfish BMC SIMULATION (test/harness/redfish-bmc.ts): sessions
// with basic-auth fallback (sushy's SessionOrBasicAuth: no SessionService, or a login refused with
// 401/403/404/405 while basic auth works), re-login after expiry, wrong passwords, and no secret in
// any log line.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { RedfishAuthError } from '../../../coordinator/src/power/errors.js';
import { redfishDriver, type RedfishDriverOptions, type RedfishPowerDriver } from '../../../coordinator/src/power/redfish/index.js';
import { RedfishBmcSimulation, type RedfishBmcOptions } from '../../harness/redfish-bmc.js';
import { capturedLogger, redfishTarget } from '../../harness/redfish-target.js';

const SESSIONS = '/redfish/v1/SessionService/Sessions';
const PASSWORD = 'bmc-secret-pw';
const started: { bmc: RedfishBmcSimulation; driver: RedfishPowerDriver }[] = [];

async function setup(
  options: RedfishBmcOptions = {},
  driverOptions: Partial<RedfishDriverOptions> = {},
): Promise<{ bmc: RedfishBmcSimulation; driver: RedfishPowerDriver; lines: string[] }> {
  const { logger, lines } = capturedLogger();
  const bmc = await RedfishBmcSimulation.start({ password: PASSWORD, transitionMs: 20, ...options });
  const driver = redfishDriver({
    pollIntervalMs: 10,
    settleTimeoutMs: 10_000,
    retryInitialMs: 10,
    retryMaxMs: 50,
    logger,
    ...driverOptions,
  });
  started.push({ bmc, driver });
  return { bmc, driver, lines };
}

const signal = (): AbortSignal => AbortSignal.timeout(20_000);

afterEach(async () => {
  for (const { bmc, driver } of started.splice(0)) {
    await driver.close();
    await bmc.close();
  }
});

describe('redfish authentication (Redfish BMC simulation)', () => {
  it('logs in once, sends X-Auth-Token afterwards, and deletes the session on close', async () => {
    const { bmc, driver } = await setup();
    const target = redfishTarget(bmc.url);
    await driver.queryState(target, signal());
    await driver.powerOn(target, signal());
    expect(bmc.requestsTo('POST', SESSIONS)).toHaveLength(1);
    const authorised = bmc.requests.filter((request) => request.path !== SESSIONS);
    expect(new Set(authorised.map((request) => request.auth))).toEqual(new Set(['session']));
    expect(bmc.activeSessions).toBe(1);
    await driver.close();
    expect(bmc.activeSessions).toBe(0);
    expect(bmc.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: expect.stringMatching(/^\/redfish\/v1\/SessionService\/Sessions\/\w+$/),
      status: 204,
    });
  });

  it('logs an idle session out', async () => {
    const { bmc, driver } = await setup({}, { idleLogoutMs: 20 });
    const loggedOut = once(bmc, 'logout');
    await driver.queryState(redfishTarget(bmc.url), signal());
    await loggedOut;
    expect(bmc.activeSessions).toBe(0);
    expect(bmc.requests.at(-1)).toMatchObject({ method: 'DELETE', auth: 'session', status: 204 });
  });

  it('falls back to basic auth when the BMC has no SessionService, and stays there', async () => {
    const { bmc, driver } = await setup({ sessionService: false });
    const target = redfishTarget(bmc.url);
    await driver.powerOn(target, signal());
    await driver.queryState(target, signal());
    expect(bmc.requestsTo('POST', SESSIONS).map((request) => request.status)).toEqual([404]);
    const authorised = bmc.requests.filter((request) => request.path !== SESSIONS);
    expect(new Set(authorised.map((request) => request.auth))).toEqual(new Set(['basic']));
    expect(bmc.powerState).toBe('On');
  });

  it('logs in again, once, after the session expired', async () => {
    const { bmc, driver } = await setup();
    const target = redfishTarget(bmc.url);
    await driver.queryState(target, signal());
    bmc.expireSessions();
    expect(await driver.queryState(target, signal())).toBe('off');
    expect(bmc.requestsTo('POST', SESSIONS).map((request) => request.status)).toEqual([201, 201]);
    const statuses = bmc.requests.filter((request) => request.path === '/redfish/v1/Systems/1').map((request) => request.status);
    expect(statuses).toEqual([200, 401, 200]);
  });

  it('a wrong password: a refused login, then a refused basic-auth request, a typed error naming the BMC, no retries', async () => {
    const { bmc, driver } = await setup();
    const error: unknown = await driver.powerOn(redfishTarget(bmc.url, 'admin', 'wrong'), signal()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishAuthError);
    expect((error as RedfishAuthError).status).toBe(401);
    expect((error as Error).message).toBe(
      `Redfish BMC ${bmc.url} refused user "admin" (HTTP 401): check the machine's power user and password`,
    );
    // sushy's SessionOrBasicAuth: a refused login is followed by basic auth, which decides.
    expect(bmc.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
      `POST ${SESSIONS} 401`,
      'GET /redfish/v1/Systems 401',
    ]);
  });

  it.each([401, 403, 404, 405] as const)(
    'a BMC refusing session login with %i but taking basic auth is driven with basic auth',
    async (status) => {
      const { bmc, driver } = await setup({ refuseSessions: status });
      const target = redfishTarget(bmc.url);
      await driver.powerOn(target, signal());
      expect(await driver.queryState(target, signal())).toBe('on');
      expect(bmc.powerState).toBe('On');
      expect(bmc.requestsTo('POST', SESSIONS).map((request) => request.status)).toEqual([status]);
      const authorised = bmc.requests.filter((request) => request.path !== SESSIONS);
      expect(new Set(authorised.map((request) => `${request.auth} ${request.status < 300 ? 'ok' : request.status}`))).toEqual(
        new Set(['basic ok']),
      );
    },
  );

  it('a wrong password on a BMC refusing sessions is still bad credentials, and a corrected one works', async () => {
    const { bmc, driver } = await setup({ refuseSessions: 401 });
    const error: unknown = await driver.queryState(redfishTarget(bmc.url, 'admin', 'wrong'), signal()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishAuthError);
    expect((error as Error).message).toContain("check the machine's power user and password");
    expect(bmc.requests.map((request) => request.status)).toEqual([401, 401]);
    expect(await driver.queryState(redfishTarget(bmc.url), signal())).toBe('off');
    // The refusal put the connection back to logged-out: the corrected password tries a session first.
    expect(bmc.requests.map((request) => `${request.method} ${request.status} ${request.auth}`)).toEqual([
      'POST 401 none',
      'GET 401 none',
      'POST 401 none',
      'GET 200 basic',
      'GET 200 basic',
    ]);
  });

  it('a wrong password on a basic-auth BMC is one refused request, without retries', async () => {
    const { bmc, driver } = await setup({ sessionService: false });
    const error: unknown = await driver.queryState(redfishTarget(bmc.url, 'admin', 'wrong'), signal()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishAuthError);
    expect(bmc.requests.map((request) => request.status)).toEqual([404, 401]);
  });

  it('concurrent calls to one BMC share one login', async () => {
    const { bmc, driver } = await setup();
    const target = redfishTarget(bmc.url);
    await Promise.all([driver.queryState(target, signal()), driver.queryState(target, signal()), driver.queryState(target, signal())]);
    expect(bmc.requestsTo('POST', SESSIONS)).toHaveLength(1);
  });

  it('never logs the password or a session token, at trace level, through success and failure', async () => {
    const { bmc, driver, lines } = await setup();
    const target = redfishTarget(bmc.url);
    await driver.setBootDevice(target, { device: 'bios', persistent: false, mode: 'uefi' }, signal());
    await driver.powerOn(target, signal());
    bmc.expireSessions();
    await driver.powerCycle(target, signal());
    await driver.powerOn(redfishTarget(bmc.url, 'admin', `${PASSWORD}-wrong`), signal()).catch(() => undefined);
    await driver.close();
    const basic = await setup({ sessionService: false });
    await basic.driver.queryState(redfishTarget(basic.bmc.url), signal());
    await basic.driver.queryState(redfishTarget(basic.bmc.url, 'admin', `${PASSWORD}-wrong`), signal()).catch(() => undefined);

    const all = [...lines, ...basic.lines];
    expect(all.length).toBeGreaterThan(10);
    const secrets = [PASSWORD, Buffer.from(`admin:${PASSWORD}`).toString('base64'), ...bmc.issuedTokens];
    for (const line of all) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
  });
});
