// The ipmi driver against a real ipmi_sim (OpenIPMI) whose chassis-control program keeps power and
// boot device in files and logs every call: what the BMC was told, in order, is read from that log.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../coordinator/src/logger.js';
import { ipmiDriver } from '../../../coordinator/src/power/ipmi/ipmi-driver.js';
import type { PowerDriver } from '../../../coordinator/src/power/power-driver.js';
import { IpmiSim, ipmiTarget, recordingIpmitool, type IpmitoolRecorder } from '../../harness/ipmi-sim.js';

let sim: IpmiSim;
let recorder: IpmitoolRecorder;
let driver: PowerDriver;
let logText = '';
const signal = (): AbortSignal => new AbortController().signal;

beforeAll(async () => {
  [sim, recorder] = await Promise.all([IpmiSim.start({ password: 'Sim-Secret-7f3a' }), recordingIpmitool()]);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  driver = ipmiDriver({
    ipmitoolPath: recorder.path,
    bmcTimeoutSec: 1,
    retries: 1,
    retryInitialMs: 50,
    logger: createLogger('debug', sink),
  });
});

afterAll(async () => {
  await sim?.stop();
  await recorder?.remove();
});

beforeEach(async () => {
  await sim.setPower('off');
  await sim.clearCalls();
});

/** ipmitool's arguments after the session options (`chassis ...` or `raw ...`), per run since `from`. */
async function commandsSince(from: number): Promise<string[]> {
  return (await recorder.invocations()).slice(from).map((run) => {
    const at = run.argv.indexOf('-v');
    return run.argv.slice(at + 1).join(' ');
  });
}

describe('ipmi driver against ipmi_sim', () => {
  it('reads the power state', async () => {
    expect(await driver.queryState(ipmiTarget(sim), signal())).toBe('off');
    await sim.setPower('on');
    expect(await driver.queryState(ipmiTarget(sim), signal())).toBe('on');
    expect(await sim.sets()).toEqual([]);
  });

  it('powers an off machine on and an on machine off', async () => {
    await driver.powerOn(ipmiTarget(sim), signal());
    expect(await sim.power()).toBe('on');
    await driver.powerOff(ipmiTarget(sim), signal());
    expect(await sim.power()).toBe('off');
    expect(await sim.sets()).toEqual(['set power 1', 'set power 0']);
  });

  it('never reboots a machine that is on: powerOn reads the state and sends nothing', async () => {
    await sim.setPower('on');
    const before = (await recorder.invocations()).length;
    await driver.powerOn(ipmiTarget(sim), signal());
    expect(await sim.sets()).toEqual([]);
    expect((await sim.calls()).map((call) => call.text)).toEqual(['get power']);
    expect(await commandsSince(before)).toEqual(['chassis power status']);
    expect(await sim.power()).toBe('on');
  });

  it('leaves an off machine alone on powerOff', async () => {
    await driver.powerOff(ipmiTarget(sim), signal());
    expect(await sim.sets()).toEqual([]);
  });

  it('power-cycles an on machine: off, then on again (ipmi_sim finishes the cycle itself)', async () => {
    await sim.setPower('on');
    const before = (await recorder.invocations()).length;
    await driver.powerCycle(ipmiTarget(sim), signal());
    const on = await sim.waitForCall((call) => call.text === 'set power 1', 'set power 1 after the cycle');
    const off = (await sim.calls()).find((call) => call.text === 'set power 0');
    expect(off!.seq).toBeLessThan(on.seq);
    expect(await commandsSince(before)).toEqual(['chassis power status', 'chassis power cycle']);
  });

  it('power-cycling an off machine just powers it on', async () => {
    const before = (await recorder.invocations()).length;
    await driver.powerCycle(ipmiTarget(sim), signal());
    expect(await sim.sets()).toEqual(['set power 1']);
    expect(await commandsSince(before)).toEqual(['chassis power status', 'chassis power on']);
  });

  it('sets a one-time BIOS boot before power on, disabling the boot flag timeout first', async () => {
    const before = (await recorder.invocations()).length;
    await driver.setBootDevice(ipmiTarget(sim), { device: 'bios', persistent: false, mode: 'uefi' }, signal());
    await driver.powerOn(ipmiTarget(sim), signal());
    expect(await sim.sets()).toEqual(['set boot bios', 'set power 1']);
    expect(await sim.bootDevice()).toBe('bios');
    const runs = (await recorder.invocations()).slice(before);
    expect(runs.map((run) => run.argv.slice(run.argv.indexOf('-v') + 1).join(' '))).toEqual([
      'raw 0x00 0x08 0x03 0x08',
      'chassis bootdev bios options=efiboot',
      'chassis power status',
      'chassis power on',
    ]);
    // ipmi_sim accepts parameter 3 (and ignores it): the raw command succeeded.
    expect(runs[0]!.exitCode).toBe(0);
  });

  it('sends the EFI flag only for UEFI machines (ipmi_sim ignores it, so ipmitool arguments are checked)', async () => {
    const before = (await recorder.invocations()).length;
    await driver.setBootDevice(ipmiTarget(sim, { bootMode: 'legacy' }), { device: 'bios', persistent: false, mode: 'legacy' }, signal());
    await driver.setBootDevice(ipmiTarget(sim), { device: 'pxe', persistent: true, mode: 'uefi' }, signal());
    await driver.setBootDevice(ipmiTarget(sim, { bootMode: 'legacy' }), { device: 'cdrom', persistent: true, mode: 'legacy' }, signal());
    await driver.setBootDevice(ipmiTarget(sim), { device: 'disk', persistent: false, mode: 'uefi' }, signal());
    expect((await commandsSince(before)).filter((command) => command.startsWith('chassis bootdev'))).toEqual([
      'chassis bootdev bios',
      'chassis bootdev pxe options=persistent,efiboot',
      'chassis bootdev cdrom options=persistent',
      'chassis bootdev disk options=efiboot',
    ]);
    // The sim forwards only the device selector; disk is IPMI selector 2, which it calls "default".
    expect(await sim.sets()).toEqual(['set boot bios', 'set boot pxe', 'set boot cdrom', 'set boot default']);
  });

  it('skips the boot flag timeout command when the option is off', async () => {
    const plain = ipmiDriver({ ipmitoolPath: recorder.path, disableBootTimeout: false, bmcTimeoutSec: 1, logger: createLogger('silent') });
    const before = (await recorder.invocations()).length;
    await plain.setBootDevice(ipmiTarget(sim), { device: 'bios', persistent: false, mode: 'uefi' }, signal());
    expect(await commandsSince(before)).toEqual(['chassis bootdev bios options=efiboot']);
    expect(await sim.sets()).toEqual(['set boot bios']);
  });

  it('keeps the password out of every ipmitool command line and every log line', async () => {
    await driver.queryState(ipmiTarget(sim), signal());
    const runs = await recorder.invocations();
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.passwordInEnv).toBe(true);
      expect(run.argv).toContain('-E');
      expect(run.argv.join(' ')).not.toContain(sim.password);
      // A fast run can end before the wrapper reads its /proc cmdline; ipmi-failures.test.ts checks
      // it on runs that last seconds.
      expect(run.procCmdline.join(' ')).not.toContain(sim.password);
    }
    expect(logText).toContain('ipmitool succeeded');
    expect(logText).not.toContain(sim.password);
  });
});
