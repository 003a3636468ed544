// The `ipmi` power driver: ipmitool over lanplus (protocol-facts.md 4.1). The power state is read
// before every change (unless the caller has just read or set it: PowerTarget.knownPower), so
// powerOn never reboots a machine that is on and powerOff leaves an off machine alone; powerCycle
// on an off machine powers it on (the man page: `cycle` does nothing when the chassis is off).
// Transient failures are retried with capped backoff within the caller's signal; authentication
// and BMC errors are not. Chassis commands run on a long-lived session per BMC when the driver is
// given one (ipmitool-sessions.ts), on a process each otherwise.
import { OwnershipLostError } from '../../ha/errors.js';
import type { Logger } from '../../logger.js';
import type { HardwareInventory } from '../../machines/hardware-facts.js';
import type { PowerState } from '../../machines/machine.js';
import {
  IpmiAuthError,
  IpmiCommandError,
  IpmiSessionRefusedError,
  IpmiUnavailableError,
  IpmitoolNotFoundError,
  type IpmiErrorContext,
} from '../errors.js';
import type { BootRequest, PowerDriver, PowerTarget } from '../power-driver.js';
import { formatBmcAddress, parseBmcAddress } from './bmc-address.js';
import { readIpmiInventory } from './fru.js';
import { compileIpmiOptions, type IpmiDriverOptions, type IpmiSettings } from './ipmi-options.js';
import { bootDeviceArgs, DISABLE_BOOT_TIMEOUT_ARGS, parsePowerStatus, powerArgs, sessionArgs } from './ipmitool-args.js';
import { classifyIpmitoolFailure, type IpmitoolFailure } from './ipmitool-failure.js';
import type { SessionOutcome } from './ipmitool-session.js';
import { Backoff } from '../../../../proto/shared/backoff.js';

export type { IpmiDriverOptions } from './ipmi-options.js';

/** Creates the ipmi driver; the coordinator registers it with its PowerDrivers. */
export function ipmiDriver(options: IpmiDriverOptions): PowerDriver {
  return new IpmiPowerDriver(compileIpmiOptions(options), options.logger.child({ component: 'ipmi-driver' }));
}

/** One driver call's BMC session: where, as whom, and the password read for this call. */
interface IpmiCall {
  readonly context: IpmiErrorContext;
  readonly cipherSuite: number;
  readonly user: string;
  readonly session: readonly string[];
  readonly password: string;
}

/**
 * `always`: resending is harmless (status, on, off and boot flags are idempotent). `if-not-sent`:
 * resend only when the failed attempt certainly did not reach the BMC (a cycle sent twice reboots twice).
 */
type ResendPolicy = 'always' | 'if-not-sent';

class IpmiPowerDriver implements PowerDriver {
  readonly name = 'ipmi' as const;

  constructor(
    private readonly settings: IpmiSettings,
    private readonly logger: Logger,
  ) {}

  async queryState(target: PowerTarget, signal: AbortSignal): Promise<PowerState> {
    return this.readState(await this.open(target), signal);
  }

  async powerOn(target: PowerTarget, signal: AbortSignal): Promise<void> {
    const call = await this.open(target);
    if ((await this.stateBefore(call, target, signal)) === 'on') {
      this.logger.info({ machineId: call.context.machineId, bmc: call.context.bmc }, 'power on skipped: already on');
      return;
    }
    await this.run(call, powerArgs('on'), 'always', signal);
  }

  async powerOff(target: PowerTarget, signal: AbortSignal): Promise<void> {
    const call = await this.open(target);
    if ((await this.stateBefore(call, target, signal)) === 'off') {
      this.logger.info({ machineId: call.context.machineId, bmc: call.context.bmc }, 'power off skipped: already off');
      return;
    }
    await this.run(call, powerArgs('off'), 'always', signal);
  }

  async powerCycle(target: PowerTarget, signal: AbortSignal): Promise<void> {
    const call = await this.open(target);
    if ((await this.readState(call, signal)) === 'off') {
      this.logger.info({ machineId: call.context.machineId, bmc: call.context.bmc }, 'power cycle of an off machine: powering on');
      await this.run(call, powerArgs('on'), 'always', signal);
      return;
    }
    await this.run(call, powerArgs('cycle'), 'if-not-sent', signal);
  }

  async setBootDevice(target: PowerTarget, boot: BootRequest, signal: AbortSignal): Promise<void> {
    const call = await this.open(target);
    if (this.settings.disableBootTimeout) {
      try {
        await this.run(call, DISABLE_BOOT_TIMEOUT_ARGS, 'always', signal);
      } catch (error) {
        // Some BMCs (OpenBMC) reject parameter 3; Ironic goes on, and so do we.
        if (!(error instanceof IpmiCommandError)) throw error;
        this.logger.warn(
          { machineId: call.context.machineId, bmc: call.context.bmc, completion: error.completion },
          'BMC rejected disabling the 60 s boot flag timeout; continuing',
        );
      }
    }
    await this.run(call, bootDeviceArgs(boot), 'always', signal);
  }

  async inventory(target: PowerTarget, signal: AbortSignal): Promise<HardwareInventory> {
    const call = await this.open(target);
    const logger = this.logger.child({ machineId: call.context.machineId, bmc: call.context.bmc });
    // One-shot runs: `fru print` and `lan print` report partial failures on stderr but exit 0,
    // which only an exit status tells apart (commissioning is rare; a session saves nothing here).
    return readIpmiInventory((command) => this.run(call, command, 'always', signal, 'process'), logger);
  }

  private async open(target: PowerTarget): Promise<IpmiCall> {
    const { machine } = target;
    const bmc = parseBmcAddress(machine.power.address);
    const context = { machineId: machine.id, hostname: machine.hostname, bmc: formatBmcAddress(bmc) };
    // The machine's own suite; the driver's option stays the default for records that carry none.
    const cipherSuite = machine.power.ipmiCipherSuite ?? this.settings.cipherSuite;
    const session = sessionArgs({ bmc, user: machine.power.user, ...this.settings, cipherSuite });
    // A BMC user may have no password (IPMI allows null passwords): an empty IPMI_PASSWORD.
    return { context, cipherSuite, user: machine.power.user, session, password: (await target.password()) ?? '' };
  }

  /** The state before an on or off: what the caller knows from moments ago, or read from the BMC. */
  private async stateBefore(call: IpmiCall, target: PowerTarget, signal: AbortSignal): Promise<'on' | 'off'> {
    if (target.knownPower === undefined) return this.readState(call, signal);
    this.logger.debug(
      { machineId: call.context.machineId, bmc: call.context.bmc, state: target.knownPower },
      'power state known to the caller: not read',
    );
    return target.knownPower;
  }

  private async readState(call: IpmiCall, signal: AbortSignal): Promise<'on' | 'off'> {
    const stdout = await this.run(call, powerArgs('status'), 'always', signal);
    const state = parsePowerStatus(stdout);
    if (!state)
      throw new IpmiCommandError(call.context, 'chassis power status', null, `unexpected output ${JSON.stringify(stdout.trim())}`);
    return state;
  }

  /** Runs one ipmitool command: on the BMC's session when the driver keeps them, or in a process of its own. */
  private attempt(call: IpmiCall, command: readonly string[], via: 'session' | 'process', signal: AbortSignal): Promise<SessionOutcome> {
    const { sessions, ipmitoolPath: path, commandTimeoutMs: timeoutMs } = this.settings;
    if (sessions && via === 'session') return sessions({ path, args: call.session, password: call.password, command, timeoutMs }, signal);
    return this.settings.runner({ path, args: [...call.session, ...command], password: call.password, timeoutMs }, signal);
  }

  /** Runs one command with retries; resolves with its stdout. */
  private async run(
    call: IpmiCall,
    command: readonly string[],
    resend: ResendPolicy,
    signal: AbortSignal,
    via: 'session' | 'process' = 'session',
  ): Promise<string> {
    const what = command.join(' ');
    const backoff = new Backoff({ initialMs: this.settings.retryInitialMs, maxMs: this.settings.retryMaxMs, random: this.settings.random });
    const log = { machineId: call.context.machineId, bmc: call.context.bmc, command: what };
    let attempts = 0;
    let lastProblem: string | null = null;
    for (;;) {
      if (signal.aborted) throw new IpmiUnavailableError(call.context, what, 'aborted', attempts, lastProblem);
      attempts++;
      const started = this.settings.clock.now();
      const outcome = await this.attempt(call, command, via, signal);
      const durationMs = this.settings.clock.now() - started;
      if (outcome.type === 'spawn-failed') throw new IpmitoolNotFoundError(this.settings.ipmitoolPath, { cause: outcome.error });
      if (outcome.type === 'refused') throw new OwnershipLostError(`${what} on BMC ${call.context.bmc}`, outcome.reason);
      if (outcome.type === 'aborted') {
        this.logger.info({ ...log, attempt: attempts, durationMs }, 'ipmitool killed: the caller aborted');
        throw new IpmiUnavailableError(call.context, what, 'aborted', attempts, lastProblem);
      }
      if (outcome.type === 'exited' && outcome.exitCode === 0) {
        this.logger.info({ ...log, attempt: attempts, durationMs }, 'ipmitool succeeded');
        return outcome.stdout;
      }
      const failure: IpmitoolFailure =
        outcome.type === 'timed-out'
          ? { type: 'transient', problem: `ipmitool did not finish within ${this.settings.commandTimeoutMs} ms`, commandMayHaveRun: true }
          : outcome.type === 'session-lost'
            ? { type: 'transient', problem: outcome.problem, commandMayHaveRun: outcome.commandMayHaveRun }
            : classifyIpmitoolFailure(outcome.stderr);
      this.logger.warn({ ...log, attempt: attempts, durationMs, failure: failure.type, problem: describe(failure) }, 'ipmitool failed');
      if (failure.type === 'auth') throw new IpmiAuthError(call.context, call.user, failure.problem);
      if (failure.type === 'session-refused') throw new IpmiSessionRefusedError(call.context, call.cipherSuite, failure.problem);
      if (failure.type === 'completion') throw new IpmiCommandError(call.context, what, failure.completionCode, failure.completion);
      lastProblem = failure.problem;
      if (failure.commandMayHaveRun && resend === 'if-not-sent') {
        throw new IpmiUnavailableError(call.context, what, 'outcome-unknown', attempts, lastProblem);
      }
      if (attempts > this.settings.retries) throw new IpmiUnavailableError(call.context, what, 'retries-exhausted', attempts, lastProblem);
      const retry = backoff.wait(signal);
      this.logger.info({ ...log, attempt: attempts, delayMs: retry.delayMs }, 'retrying ipmitool after a transient failure');
      if (!(await retry.elapsed)) throw new IpmiUnavailableError(call.context, what, 'aborted', attempts, lastProblem);
    }
  }
}

function describe(failure: IpmitoolFailure): string {
  return failure.type === 'completion' ? failure.completion : failure.problem;
}
