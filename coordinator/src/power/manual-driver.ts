// The manual power driver: the coordinator cannot reach a BMC, so an operator does the power and
// boot-device changes by hand and confirms each with `moorctl machine power-confirm`. A request
// is recorded (an event the operator sees in `moorctl machine deploy --watch` or `events watch`)
// and the call waits for the matching confirmation, bounded by its signal like any driver call.
import type { PowerState } from '../machines/machine.js';
import type { BootRequest, PowerDriver, PowerTarget } from './power-driver.js';
import { ManualConfirmationAbortedError } from './errors.js';

export type ManualAction = 'on' | 'off' | 'boot';

export interface ManualRequest {
  machineId: string;
  hostname: string;
  action: ManualAction;
  /** What to do, in words. */
  instruction: string;
}

interface Pending {
  action: ManualAction;
  resolve: () => void;
}

export class ManualPowerDriver implements PowerDriver {
  readonly name = 'manual' as const;
  /** Operators are slower than BMCs: callers should allow this long per call. */
  readonly callTimeoutMs: number;
  private readonly pending = new Map<string, Pending>();
  private readonly confirmed = new Map<string, PowerState>();

  constructor(
    private readonly onRequest: (request: ManualRequest) => void,
    callTimeoutMs: number,
  ) {
    this.callTimeoutMs = callTimeoutMs;
  }

  /** The operator's confirmation; false when nothing of that kind was asked for the machine. */
  confirm(machineId: string, action: ManualAction): boolean {
    const p = this.pending.get(machineId);
    if (action !== 'boot') this.confirmed.set(machineId, action);
    if (!p || p.action !== action) return false;
    this.pending.delete(machineId);
    p.resolve();
    return true;
  }

  /** What the coordinator waits for on the machine, if anything. */
  waitingFor(machineId: string): ManualAction | undefined {
    return this.pending.get(machineId)?.action;
  }

  queryState(target: PowerTarget): Promise<PowerState> {
    return Promise.resolve(this.confirmed.get(target.machine.id) ?? 'unknown');
  }

  powerOn(target: PowerTarget, signal: AbortSignal): Promise<void> {
    if (this.confirmed.get(target.machine.id) === 'on') return Promise.resolve();
    return this.ask(target, 'on', `power ${target.machine.hostname} on`, signal);
  }

  powerOff(target: PowerTarget, signal: AbortSignal): Promise<void> {
    if (this.confirmed.get(target.machine.id) === 'off') return Promise.resolve();
    return this.ask(target, 'off', `power ${target.machine.hostname} off`, signal);
  }

  async powerCycle(target: PowerTarget, signal: AbortSignal): Promise<void> {
    await this.powerOff(target, signal);
    await this.powerOn(target, signal);
  }

  setBootDevice(target: PowerTarget, boot: BootRequest, signal: AbortSignal): Promise<void> {
    const how = `${boot.persistent ? 'always' : 'on the next boot only'}, ${boot.mode === 'uefi' ? 'UEFI' : 'legacy'}`;
    return this.ask(
      target,
      'boot',
      `set ${target.machine.hostname} to boot ${boot.device === 'bios' ? 'into BIOS setup' : `from ${boot.device}`} (${how})`,
      signal,
    );
  }

  private ask(target: PowerTarget, action: ManualAction, instruction: string, signal: AbortSignal): Promise<void> {
    const m = target.machine;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        if (this.pending.get(m.id)?.resolve === done) this.pending.delete(m.id);
        reject(new ManualConfirmationAbortedError(m.hostname, action));
      };
      const done = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(m.id, { action, resolve: done });
      this.onRequest({
        machineId: m.id,
        hostname: m.hostname,
        action,
        instruction: `${instruction}, then confirm with: moorctl machine power-confirm ${m.hostname} ${action}`,
      });
    });
  }
}
