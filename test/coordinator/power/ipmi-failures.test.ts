// How the ipmi driver fails, against a real ipmi_sim: wrong credentials are a typed auth error sent
// once, a BMC that does not answer is retried with backoff until the retries or the caller's signal
// run out (and ipmitool is killed), a cipher suite the BMC refuses and a missing ipmitool are typed.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../coordinator/src/logger.js';
import {
  IpmiAuthError,
  IpmiSessionRefusedError,
  IpmiUnavailableError,
  IpmitoolNotFoundError,
} from '../../../coordinator/src/power/errors.js';
import { ipmiDriver, type IpmiDriverOptions } from '../../../coordinator/src/power/ipmi/ipmi-driver.js';
import { exitsWithin } from '../../harness/process-exit.js';
import { freeUdpPort, IpmiSim, ipmiTarget, recordingIpmitool, type IpmitoolRecorder } from '../../harness/ipmi-sim.js';

let sim: IpmiSim;
let recorder: IpmitoolRecorder;
let scratch: string;
let logText = '';
const logger = createLogger(
  'debug',
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  }),
);
const signal = (): AbortSignal => new AbortController().signal;

function driver(options: Partial<IpmiDriverOptions> = {}): ReturnType<typeof ipmiDriver> {
  return ipmiDriver({ ipmitoolPath: recorder.path, bmcTimeoutSec: 1, retryInitialMs: 20, retryMaxMs: 100, logger, ...options });
}

async function runsDuring(
  action: () => Promise<unknown>,
): Promise<{ error: unknown; runs: Awaited<ReturnType<IpmitoolRecorder['invocations']>> }> {
  const before = (await recorder.invocations()).length;
  const error = await action().then(
    () => null,
    (e: unknown) => e,
  );
  return { error, runs: (await recorder.invocations()).slice(before) };
}

/** An ipmitool stand-in: the `case` arm answers like a particular BMC; all else goes to the recorder. */
async function scriptedIpmitool(name: string, caseArm: string): Promise<string> {
  const script = path.join(scratch, name);
  await writeFile(script, `#!/bin/sh\ncase "$*" in\n  ${caseArm}\nesac\nexec '${recorder.path}' "$@"\n`);
  await chmod(script, 0o755);
  return script;
}

beforeAll(async () => {
  [sim, recorder] = await Promise.all([IpmiSim.start({ password: 'Right-Secret-91c2' }), recordingIpmitool()]);
  scratch = await mkdtemp(path.join(tmpdir(), 'mooring-ipmi-failures-'));
});

afterAll(async () => {
  await sim?.stop();
  await recorder?.remove();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  await sim.setPower('off');
  await sim.clearCalls();
});

describe('ipmi driver failures', () => {
  it('a wrong password is a typed auth error naming machine and BMC, and is never retried', async () => {
    const { error, runs } = await runsDuring(() =>
      driver({ retries: 5 }).powerOn(ipmiTarget(sim, { password: 'Wrong-Secret-0000' }), signal()),
    );
    expect(error).toBeInstanceOf(IpmiAuthError);
    const auth = error as IpmiAuthError;
    expect(auth.kind).toBe('failed-precondition');
    expect(auth.message).toContain('rack1-node1');
    expect(auth.message).toContain(sim.address);
    expect(auth.message).toMatch(/password was rejected/);
    expect(runs).toHaveLength(1);
    expect(await sim.sets()).toEqual([]);
    expect(logText).not.toContain('Wrong-Secret-0000');
  });

  it('an unknown user is an auth error too', async () => {
    const target = ipmiTarget(sim);
    const other = { ...target, machine: { ...target.machine, power: { ...target.machine.power, user: 'nobody' } } };
    const { error, runs } = await runsDuring(() => driver({ retries: 5 }).queryState(other, signal()));
    expect(error).toBeInstanceOf(IpmiAuthError);
    expect((error as IpmiAuthError).problem).toBe('unauthorized name');
    expect(runs).toHaveLength(1);
  });

  it('a BMC that does not answer is transient: retried, then IpmiUnavailableError', async () => {
    const silent = `127.0.0.1:${await freeUdpPort()}`;
    const { error, runs } = await runsDuring(() => driver({ retries: 2 }).queryState(ipmiTarget(sim, { address: silent }), signal()));
    expect(error).toBeInstanceOf(IpmiUnavailableError);
    const unavailable = error as IpmiUnavailableError;
    expect(unavailable.kind).toBe('deadline-exceeded');
    expect(unavailable.reason).toBe('retries-exhausted');
    expect(unavailable.attempts).toBe(3);
    expect(unavailable.lastProblem).toMatch(/no answer from the BMC/);
    expect(unavailable.message).toContain(silent);
    expect(runs).toHaveLength(3);
    // Each run waits a second or more for the silent BMC, so /proc/<pid>/cmdline of the running
    // ipmitool is always read: the password is in its environment, never in its command line.
    for (const run of runs) {
      expect(run.procCmdline[0]).toBe('/usr/bin/ipmitool');
      expect(run.procCmdline).toContain('-E');
      expect(run.procCmdline.join(' ')).not.toContain(sim.password);
      expect(run.passwordInEnv).toBe(true);
    }
  });

  it("the caller's signal bounds the retries and kills the running ipmitool", async () => {
    const silent = `127.0.0.1:${await freeUdpPort()}`;
    const controller = new AbortController();
    const before = (await recorder.invocations()).length;
    // Abort once the second attempt is running: its ipmitool must be killed, and no third begins.
    const watcher = recorder.waitForInvocations(before + 2).then(() => controller.abort());
    const { error, runs } = await runsDuring(() =>
      driver({ retries: 1000 }).powerOn(ipmiTarget(sim, { address: silent }), controller.signal),
    );
    await watcher;
    expect(error).toBeInstanceOf(IpmiUnavailableError);
    expect(error).toMatchObject({ reason: 'aborted', attempts: 2 });
    expect(runs).toHaveLength(2);
    // Killed with its wrapper's process group: no exit status was recorded and the process is gone.
    expect(runs[1]!.exitCode).toBeNull();
    expect(await exitsWithin(runs[1]!.pid, 5_000)).toBe(true);
  });

  it('a cipher suite the BMC does not do is a session refusal, not retried (ipmi_sim has no suite 17)', async () => {
    // The machine's own suite is what ipmitool gets (-C), whatever the driver's default.
    const { error, runs } = await runsDuring(() => driver({ retries: 5 }).queryState(ipmiTarget(sim, { cipherSuite: 17 }), signal()));
    expect(error).toBeInstanceOf(IpmiSessionRefusedError);
    expect((error as IpmiSessionRefusedError).message).toContain('cipher suite 17');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.argv.join(' ')).toContain(' -C 17 ');
  });

  // ipmi_sim cannot be made busy, silent mid-session or picky about parameter 3, so these wrap the
  // recording ipmitool and answer one command as such a BMC does (ipmitool's own messages), passing
  // everything else through to ipmi_sim. They are simulations of those BMC behaviours.

  it('a BMC that rejects the boot flag timeout parameter still gets its boot device (simulated rejection)', async () => {
    const rejecting = await scriptedIpmitool(
      'rejects-param3',
      `*"raw 0x00 0x08 0x03 0x08") echo 'Unable to send RAW command (channel=0x0 netfn=0x0 lun=0x0 cmd=0x8 rsp=0xcc): Invalid data ` +
        `field in request' >&2; exit 1 ;;`,
    );
    const { error, runs } = await runsDuring(() =>
      driver({ ipmitoolPath: rejecting }).setBootDevice(ipmiTarget(sim), { device: 'bios', persistent: false, mode: 'uefi' }, signal()),
    );
    expect(error).toBeNull();
    expect(runs.map((run) => run.argv.slice(run.argv.indexOf('-v') + 1).join(' '))).toEqual(['chassis bootdev bios options=efiboot']);
    expect(await sim.sets()).toEqual(['set boot bios']);
    expect(logText).toContain('BMC rejected disabling the 60 s boot flag timeout');
  });

  it('a busy BMC is retried until it takes the command (simulated "Node busy" twice)', async () => {
    const busy = await scriptedIpmitool(
      'busy-twice',
      `*"chassis power on") n=$(cat "$0.count" 2>/dev/null || echo 0); echo $((n + 1)) > "$0.count"
        if [ "$n" -lt 2 ]; then echo 'Set Chassis Power Control to Up/On failed: Node busy' >&2; exit 1; fi ;;`,
    );
    const { error, runs } = await runsDuring(() => driver({ ipmitoolPath: busy, retries: 3 }).powerOn(ipmiTarget(sim), signal()));
    expect(error).toBeNull();
    expect((await readFile(`${busy}.count`, 'utf8')).trim()).toBe('3');
    // The two busy answers came from the stand-in; the status and the third power on reached ipmi_sim.
    expect(runs.map((run) => run.argv.slice(run.argv.indexOf('-v') + 1).join(' '))).toEqual(['chassis power status', 'chassis power on']);
    expect(await sim.sets()).toEqual(['set power 1']);
    expect(logText).toMatch(/retrying ipmitool after a transient failure/);
  });

  it('a power cycle that got no answer is not resent: the machine must not reboot twice (simulated)', async () => {
    await sim.setPower('on');
    const silentCycle = await scriptedIpmitool(
      'no-answer-to-cycle',
      `*"chassis power cycle") echo x >> "$0.count"; echo 'Unable to set Chassis Power Control to Cycle' >&2; exit 1 ;;`,
    );
    const error = await driver({ ipmitoolPath: silentCycle, retries: 5 })
      .powerCycle(ipmiTarget(sim), signal())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpmiUnavailableError);
    expect(error).toMatchObject({ reason: 'outcome-unknown', attempts: 1, command: 'chassis power cycle' });
    expect((await readFile(`${silentCycle}.count`, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('a missing ipmitool is a typed error', async () => {
    const error = await driver({ ipmitoolPath: path.join(scratch, 'no-such-ipmitool') })
      .queryState(ipmiTarget(sim), signal())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpmitoolNotFoundError);
  });
});
