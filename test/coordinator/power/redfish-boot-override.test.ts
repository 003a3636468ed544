// Boot overrides and ETags against the Redfish BMC SIMULATION (test/harness/redfish-bmc.ts): If-Match
// with the ETag from the GET, 412 on a stale one, weak ETags as sushy handles them, AllowableValues,
// @Redfish.Settings (applied at the next reset), and Once where Continuous is not allowed (Ironic).
import { afterEach, describe, expect, it } from 'vitest';
import { RedfishBmcError, RedfishUnsupportedError } from '../../../coordinator/src/power/errors.js';
import { redfishDriver, type RedfishPowerDriver } from '../../../coordinator/src/power/redfish/index.js';
import { RedfishBmcSimulation, type RedfishBmcOptions } from '../../harness/redfish-bmc.js';
import { capturedLogger, redfishTarget } from '../../harness/redfish-target.js';

const SYSTEM = '/redfish/v1/Systems/1';
let bmc: RedfishBmcSimulation | undefined;
let driver: RedfishPowerDriver | undefined;

async function setup(options: RedfishBmcOptions = {}): Promise<{ bmc: RedfishBmcSimulation; driver: RedfishPowerDriver }> {
  bmc = await RedfishBmcSimulation.start(options);
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
const BIOS_ONCE = { device: 'bios', persistent: false, mode: 'uefi' } as const;

afterEach(async () => {
  await driver?.close();
  await bmc?.close();
  driver = undefined;
  bmc = undefined;
});

describe('redfish boot override (Redfish BMC simulation)', () => {
  it('maps devices, persistence and mode onto the Boot object', async () => {
    const { bmc, driver } = await setup();
    const target = redfishTarget(bmc.url);
    await driver.setBootDevice(target, { device: 'pxe', persistent: true, mode: 'legacy' }, signal());
    expect(bmc.boot).toEqual({ enabled: 'Continuous', target: 'Pxe', mode: 'Legacy' });
    await driver.setBootDevice(target, { device: 'disk', persistent: false, mode: 'uefi' }, signal());
    expect(bmc.boot).toEqual({ enabled: 'Once', target: 'Hdd', mode: 'UEFI' });
    await driver.setBootDevice(target, { device: 'cdrom', persistent: true, mode: 'uefi' }, signal());
    expect(bmc.boot).toEqual({ enabled: 'Continuous', target: 'Cd', mode: 'UEFI' });
  });

  it('an override already in place is not PATCHed again', async () => {
    const { bmc, driver } = await setup();
    const target = redfishTarget(bmc.url);
    await driver.setBootDevice(target, BIOS_ONCE, signal());
    await driver.setBootDevice(target, BIOS_ONCE, signal());
    expect(bmc.requestsTo('PATCH', SYSTEM)).toHaveLength(1);
  });

  it('a stale ETag (412) is retried with the fresh one from a new GET', async () => {
    const { bmc, driver } = await setup();
    const target = redfishTarget(bmc.url);
    await driver.queryState(target, signal());
    bmc.interfereBeforeNextPatch();
    await driver.setBootDevice(target, BIOS_ONCE, signal());

    const patches = bmc.requestsTo('PATCH', SYSTEM);
    expect(patches.map((request) => request.status)).toEqual([412, 204]);
    expect(patches[0]!.ifMatch).not.toBe(patches[1]!.ifMatch);
    const methods = bmc.requests.filter((request) => request.path === SYSTEM).map((request) => `${request.method} ${request.status}`);
    expect(methods.slice(-4)).toEqual(['GET 200', 'PATCH 412', 'GET 200', 'PATCH 204']);
    expect(bmc.boot).toEqual({ enabled: 'Once', target: 'BiosSetup', mode: 'UEFI' });
  });

  it('a weak ETag is sent as is, then as a strong one (as sushy does)', async () => {
    const { bmc, driver } = await setup({ weakEtags: true });
    await driver.setBootDevice(redfishTarget(bmc.url), BIOS_ONCE, signal());
    const patches = bmc.requestsTo('PATCH', SYSTEM);
    expect(patches.map((request) => [request.ifMatch, request.status])).toEqual([
      [expect.stringMatching(/^W\/"\d+"$/), 412],
      [expect.stringMatching(/^"\d+"$/), 204],
    ]);
    expect(bmc.boot.target).toBe('BiosSetup');
  });

  it('BiosSetup not allowed by the BMC is a clear error, and nothing is PATCHed', async () => {
    const { bmc, driver } = await setup({ allowedTargets: ['None', 'Pxe', 'Hdd'] });
    const error: unknown = await driver.setBootDevice(redfishTarget(bmc.url), BIOS_ONCE, signal()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishUnsupportedError);
    expect((error as RedfishUnsupportedError).property).toBe('BootSourceOverrideTarget');
    expect((error as Error).message).toBe(
      `Redfish BMC ${bmc.url} does not allow BootSourceOverrideTarget BiosSetup (allowed: None, Pxe, Hdd)`,
    );
    expect(bmc.requestsTo('PATCH', SYSTEM)).toEqual([]);
  });

  it('a PATCH the BMC rejects carries its @Message.ExtendedInfo', async () => {
    const { bmc, driver } = await setup();
    bmc.failRequest('PATCH', SYSTEM, 400);
    const error: unknown = await driver.setBootDevice(redfishTarget(bmc.url), BIOS_ONCE, signal()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedfishBmcError);
    expect((error as RedfishBmcError).status).toBe(400);
    expect((error as Error).message).toContain('The request failed due to an internal service error.');
  });

  it('a PATCH interrupted by a 503 is retried with the same If-Match', async () => {
    const { bmc, driver } = await setup();
    bmc.failRequest('PATCH', SYSTEM, 503);
    await driver.setBootDevice(redfishTarget(bmc.url), BIOS_ONCE, signal());
    const patches = bmc.requestsTo('PATCH', SYSTEM);
    expect(patches.map((request) => request.status)).toEqual([503, 204]);
    expect(patches[0]!.ifMatch).toBe(patches[1]!.ifMatch);
  });

  it('a system with @Redfish.Settings takes the override on its SettingsObject, applied at the next power-on', async () => {
    const { bmc, driver } = await setup({ bootSettings: true, transitionMs: 10 });
    const target = redfishTarget(bmc.url);
    await driver.setBootDevice(target, { device: 'pxe', persistent: false, mode: 'uefi' }, signal());
    expect(bmc.requestsTo('PATCH', SYSTEM)).toEqual([]);
    const patches = bmc.requestsTo('PATCH', `${SYSTEM}/Settings`);
    expect(patches.map((request) => [request.ifMatch, request.status])).toEqual([['"s1"', 204]]);
    expect(patches[0]!.body).toEqual({
      Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once', BootSourceOverrideMode: 'UEFI' },
    });
    // Pending until the reset: the system still shows no override.
    expect(bmc.boot).toEqual({ enabled: 'Disabled', target: 'None', mode: 'UEFI' });
    await driver.powerOn(target, signal());
    expect(bmc.boots).toEqual([{ target: 'Pxe', mode: 'UEFI' }]);
    expect(bmc.boot.enabled).toBe('Disabled'); // Once is used up by that boot
  });

  it('a stale ETag on the SettingsObject is retried with the fresh one', async () => {
    const { bmc, driver } = await setup({ bootSettings: true });
    const target = redfishTarget(bmc.url);
    await driver.setBootDevice(target, { device: 'pxe', persistent: false, mode: 'uefi' }, signal());
    await driver.setBootDevice(target, BIOS_ONCE, signal());
    expect(bmc.requestsTo('PATCH', `${SYSTEM}/Settings`).map((request) => [request.ifMatch, request.status])).toEqual([
      ['"s1"', 204],
      ['"s2"', 204],
    ]);
    expect(bmc.pendingBoot['BootSourceOverrideTarget']).toBe('BiosSetup');
  });

  it('where Continuous is not allowed, a persistent device is set Once, and set again before every boot', async () => {
    const { bmc, driver } = await setup({ allowedEnabled: ['Disabled', 'Once'], transitionMs: 10 });
    const target = redfishTarget(bmc.url);
    await driver.setBootDevice(target, { device: 'disk', persistent: true, mode: 'uefi' }, signal());
    expect(bmc.requestsTo('PATCH', SYSTEM).map((request) => request.status)).toEqual([204]);
    expect(bmc.boot).toEqual({ enabled: 'Once', target: 'Hdd', mode: 'UEFI' });
    await driver.powerOn(target, signal());
    await driver.powerCycle(target, signal());
    await driver.powerOff(target, signal());
    await driver.powerOn(target, signal());
    expect(bmc.boots).toEqual([
      { target: 'Hdd', mode: 'UEFI' },
      { target: 'Hdd', mode: 'UEFI' },
      { target: 'Hdd', mode: 'UEFI' },
    ]);
    // A one-time device afterwards ends the emulation: the boot after it follows the normal order.
    await driver.setBootDevice(target, { device: 'pxe', persistent: false, mode: 'uefi' }, signal());
    await driver.powerCycle(target, signal());
    await driver.powerCycle(target, signal());
    expect(bmc.boots.slice(3).map((boot) => boot.target)).toEqual(['Pxe', 'None']);
  });

  it('a BMC that refuses Continuous with 400 without listing its allowed values gets Once', async () => {
    const { bmc, driver } = await setup({ allowedEnabled: ['Disabled', 'Once'], advertiseEnabled: false });
    await driver.setBootDevice(redfishTarget(bmc.url), { device: 'pxe', persistent: true, mode: 'uefi' }, signal());
    const patches = bmc.requestsTo('PATCH', SYSTEM);
    expect(
      patches.map((request) => [
        (request.body as { Boot: { BootSourceOverrideEnabled: string } }).Boot.BootSourceOverrideEnabled,
        request.status,
      ]),
    ).toEqual([
      ['Continuous', 400],
      ['Once', 204],
    ]);
    expect(bmc.boot).toEqual({ enabled: 'Once', target: 'Pxe', mode: 'UEFI' });
  });

  it('a BMC allowing Continuous gets Continuous', async () => {
    const { bmc, driver } = await setup({ allowedEnabled: ['Disabled', 'Once', 'Continuous'] });
    await driver.setBootDevice(redfishTarget(bmc.url), { device: 'pxe', persistent: true, mode: 'uefi' }, signal());
    expect(bmc.boot).toEqual({ enabled: 'Continuous', target: 'Pxe', mode: 'UEFI' });
  });
});
