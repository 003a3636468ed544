// The redfish driver's power and BIOS-halt behaviour against the Redfish BMC SIMULATION
// (test/harness/redfish-bmc.ts), which follows the DMTF ComputerSystem semantics.
import { afterEach, describe, expect, it } from 'vitest';
import {
  RedfishBmcError,
  RedfishProtocolError,
  RedfishSettleTimeoutError,
  RedfishUnavailableError,
} from '../../../coordinator/src/power/errors.js';
import { redfishDriver, type HttpTransport, type RedfishPowerDriver } from '../../../coordinator/src/power/redfish/index.js';
import { RedfishBmcSimulation, type RedfishBmcOptions } from '../../harness/redfish-bmc.js';
import { capturedLogger, redfishTarget } from '../../harness/redfish-target.js';

const RESET = '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset';
let bmc: RedfishBmcSimulation | undefined;
let driver: RedfishPowerDriver | undefined;

async function setup(options: RedfishBmcOptions = {}): Promise<{ bmc: RedfishBmcSimulation; driver: RedfishPowerDriver }> {
  bmc = await RedfishBmcSimulation.start({ transitionMs: 40, ...options });
  driver = redfishDriver({
    pollIntervalMs: 10,
    settleTimeoutMs: 10_000,
    retryInitialMs: 10,
    retryMaxMs: 50,
    logger: capturedLogger().logger,
  });
  return { bmc, driver };
}

const signal = (): AbortSignal => AbortSignal.timeout(20_000);

afterEach(async () => {
  await driver?.close();
  await bmc?.close();
  driver = undefined;
  bmc = undefined;
});

describe('redfish driver power control (Redfish BMC simulation)', () => {
  it('BIOS-halt: PATCH BiosSetup Once UEFI, then On boots into BiosSetup and the override is used up', async () => {
    const { bmc, driver } = await setup({ powerState: 'Off' });
    const target = redfishTarget(bmc.url);
    await driver.setBootDevice(target, { device: 'bios', persistent: false, mode: 'uefi' }, signal());
    expect(bmc.boot).toEqual({ enabled: 'Once', target: 'BiosSetup', mode: 'UEFI' });
    await driver.powerOn(target, signal());

    expect(bmc.powerState).toBe('On');
    expect(bmc.boots).toEqual([{ target: 'BiosSetup', mode: 'UEFI' }]);
    expect(bmc.boot.enabled).toBe('Disabled');
    const patch = bmc.requestsTo('PATCH', '/redfish/v1/Systems/1');
    expect(patch).toHaveLength(1);
    expect(patch[0]!.body).toEqual({
      Boot: { BootSourceOverrideTarget: 'BiosSetup', BootSourceOverrideEnabled: 'Once', BootSourceOverrideMode: 'UEFI' },
    });
    expect(patch[0]!.ifMatch).toMatch(/^"\d+"$/);
    expect(bmc.requestsTo('POST', RESET).map((request) => request.body)).toEqual([{ ResetType: 'On' }]);
    // The driver polled through PoweringOn rather than returning after the POST.
    expect(bmc.requestsTo('GET', '/redfish/v1/Systems/1').length).toBeGreaterThan(2);
    // A second boot uses the normal order: the Once override is gone.
    await driver.powerCycle(target, signal());
    expect(bmc.boots).toEqual([
      { target: 'BiosSetup', mode: 'UEFI' },
      { target: 'None', mode: 'UEFI' },
    ]);
  });

  it('sends every request with OData-Version 4.0 and Accept-Encoding identity', async () => {
    const { bmc, driver } = await setup();
    await driver.queryState(redfishTarget(bmc.url), signal());
    const authorised = bmc.requests.filter((request) => request.path !== '/redfish/v1/SessionService/Sessions');
    expect(authorised.length).toBeGreaterThan(0);
    for (const request of bmc.requests) {
      expect(request.odataVersion).toBe('4.0');
      expect(request.acceptEncoding).toBe('identity');
    }
  });

  it('powerOn on a system that is On sends no Reset', async () => {
    const { bmc, driver } = await setup({ powerState: 'On' });
    await driver.powerOn(redfishTarget(bmc.url), signal());
    expect(bmc.requestsTo('POST', RESET)).toEqual([]);
    expect(bmc.boots).toEqual([]);
    expect(bmc.powerState).toBe('On');
  });

  it('powerOff reaches Off after the transition, and a second powerOff sends nothing', async () => {
    const { bmc, driver } = await setup({ powerState: 'On', transitionMs: 80 });
    const target = redfishTarget(bmc.url);
    await driver.powerOff(target, signal());
    expect(bmc.powerState).toBe('Off');
    expect(bmc.requestsTo('POST', RESET).map((request) => request.body)).toEqual([{ ResetType: 'ForceOff' }]);
    expect(await driver.queryState(target, signal())).toBe('off');
    await driver.powerOff(target, signal());
    expect(bmc.requestsTo('POST', RESET)).toHaveLength(1);
  });

  it('powerCycle of an On system is one ForceRestart and ends On after a boot', async () => {
    const { bmc, driver } = await setup({ powerState: 'On', transitionMs: 60 });
    await driver.powerCycle(redfishTarget(bmc.url), signal());
    expect(bmc.powerState).toBe('On');
    expect(bmc.requestsTo('POST', RESET).map((request) => request.body)).toEqual([{ ResetType: 'ForceRestart' }]);
    expect(bmc.boots).toHaveLength(1);
  });

  it('powerCycle of an Off system just powers it on', async () => {
    const { bmc, driver } = await setup({ powerState: 'Off' });
    await driver.powerCycle(redfishTarget(bmc.url), signal());
    expect(bmc.requestsTo('POST', RESET).map((request) => request.body)).toEqual([{ ResetType: 'On' }]);
    expect(bmc.powerState).toBe('On');
  });

  it('without ForceRestart, powerCycle is ForceOff then On', async () => {
    const { bmc, driver } = await setup({ powerState: 'On', allowedResetTypes: ['On', 'ForceOff'] });
    await driver.powerCycle(redfishTarget(bmc.url), signal());
    expect(bmc.requestsTo('POST', RESET).map((request) => request.body)).toEqual([{ ResetType: 'ForceOff' }, { ResetType: 'On' }]);
    expect(bmc.powerState).toBe('On');
  });

  it('queryState waits out a transition', async () => {
    const { bmc, driver } = await setup({ powerState: 'On', transitionMs: 60 });
    const target = redfishTarget(bmc.url);
    await driver.powerOff(target, signal());
    await driver.powerOn(target, signal());
    expect(await driver.queryState(target, signal())).toBe('on');
  });

  it('discovers the system, or uses the one the address names', async () => {
    const { bmc, driver } = await setup();
    await driver.queryState(redfishTarget(`${bmc.url}/redfish/v1/Systems/1`), signal());
    expect(bmc.requestsTo('GET', '/redfish/v1/Systems')).toEqual([]);
    await driver.queryState(redfishTarget(bmc.url), signal());
    expect(bmc.requestsTo('GET', '/redfish/v1/Systems')).toHaveLength(1);
  });

  it('a system path the BMC does not have is a clear error', async () => {
    const { bmc, driver } = await setup();
    await expect(driver.queryState(redfishTarget(`${bmc.url}/redfish/v1/Systems/7`), signal())).rejects.toThrow(
      /has no \/redfish\/v1\/Systems\/7 \(HTTP 404\)/,
    );
  });

  it('retries 503 from a busy BMC with backoff, then succeeds', async () => {
    const { bmc, driver } = await setup({ powerState: 'On' });
    const target = redfishTarget(bmc.url);
    await driver.queryState(target, signal());
    bmc.failNext(503, 503);
    expect(await driver.queryState(target, signal())).toBe('on');
    expect(bmc.requests.filter((request) => request.status === 503)).toHaveLength(2);
  });

  it('does not resend a Reset after a 500 (it may have acted), and reports the BMC message', async () => {
    const { bmc, driver } = await setup({ powerState: 'On' });
    bmc.failRequest('POST', RESET, 500);
    const error: unknown = await driver.powerOff(redfishTarget(bmc.url), signal()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishBmcError);
    expect((error as RedfishBmcError).status).toBe(500);
    expect((error as RedfishBmcError).messages).toEqual(['The request failed due to an internal service error.']);
    expect((error as Error).message).toContain(bmc.url);
    expect(bmc.requestsTo('POST', RESET)).toHaveLength(1);
  });

  it('resends a Reset after a 503 (the BMC did not act)', async () => {
    const { bmc, driver } = await setup({ powerState: 'On' });
    bmc.failRequest('POST', RESET, 503);
    await driver.powerOff(redfishTarget(bmc.url), signal());
    expect(bmc.requestsTo('POST', RESET).map((request) => request.status)).toEqual([503, 204]);
    expect(bmc.powerState).toBe('Off');
  });

  it('an unreachable BMC is retried until the signal fires, then a typed error', async () => {
    const sim = await setup();
    const url = sim.bmc.url;
    await sim.bmc.close();
    bmc = undefined;
    const error: unknown = await sim.driver.queryState(redfishTarget(url), AbortSignal.timeout(1_000)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishUnavailableError);
    expect((error as RedfishUnavailableError).attempts).toBeGreaterThan(1);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('a BMC with several systems needs the system in the address', async () => {
    const members = JSON.stringify({ Members: [{ '@odata.id': '/redfish/v1/Systems/a' }, { '@odata.id': '/redfish/v1/Systems/b' }] });
    const transport: HttpTransport = {
      send: (request) =>
        Promise.resolve(
          request.url.endsWith('/Sessions')
            ? { status: 404, text: '', header: () => undefined }
            : { status: 200, text: members, header: () => undefined },
        ),
      close: () => Promise.resolve(),
    };
    driver = redfishDriver({ pollIntervalMs: 10, settleTimeoutMs: 1_000, logger: capturedLogger().logger, transport });
    await expect(driver.queryState(redfishTarget('https://bmc.example'), signal())).rejects.toThrow(RedfishProtocolError);
    await expect(driver.queryState(redfishTarget('https://bmc.example'), signal())).rejects.toThrow(
      /has 2 members; name one in the power address \(https:\/\/bmc.example\/redfish\/v1\/Systems\/<id>\)/,
    );
  });

  it('a PowerState that does not settle within settleTimeoutMs is a typed error naming the last state', async () => {
    const sim = await setup({ powerState: 'Off', transitionMs: 60_000 });
    const slow = redfishDriver({ pollIntervalMs: 10, settleTimeoutMs: 1_000, logger: capturedLogger().logger });
    try {
      const error: unknown = await slow.powerOn(redfishTarget(sim.bmc.url), signal()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RedfishSettleTimeoutError);
      expect((error as RedfishSettleTimeoutError).last).toBe('PoweringOn');
      expect(sim.bmc.requestsTo('POST', RESET)).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it("the caller's signal ends the polling with a typed error", async () => {
    const sim = await setup({ powerState: 'On', transitionMs: 60_000 });
    const error: unknown = await sim.driver
      .powerOff(redfishTarget(sim.bmc.url), AbortSignal.timeout(1_000))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishUnavailableError);
    expect((error as Error).message).toContain('waiting for PowerState Off');
    expect((error as Error).message).toContain('PoweringOff');
  });
});
