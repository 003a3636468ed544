// Day-2 power of any machine on request (`moorctl machine power`, `machine boot-device`): the
// same bounded driver call the sequencer makes. Who may: admins on any machine; a member on a
// machine it owns once it is ALLOCATED or DEPLOYED (someone else's machine is NOT_FOUND, by the
// visibility rule); observers only read the recorded state. Refused while a BIOS-halt sequence or
// commissioning drives the machine's power: a power-off between its power-on and its port check
// would break the sequence. The state a call proves is recorded by the drivers themselves
// (power-state-recorder.ts), so the reply re-reads the record.
import type { PowerDrivers } from '../power/power-driver.js';
import { callPower } from '../power/power-call.js';
import type { BootDevice } from '../power/power-driver.js';
import type { SecretTable } from '../store/secret-table.js';
import { requireWriter } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import { MachinePowerBusyError, NotMachineOwnerError, PowerActionUnsupportedError } from './errors.js';
import { requireStatus } from './lifecycle.js';
import type { Machine, MachineStatus } from './machine.js';
import type { MachineRegistry } from './machine-registry.js';

export const POWER_ACTIONS = ['on', 'off', 'cycle', 'status'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

/** The boot devices an operator sets by hand (cdrom is the deploy sequence's alone). */
export type ManualBootDevice = Extract<BootDevice, 'pxe' | 'disk' | 'bios'>;

/** What an owning member may power: the machine is theirs and no sequence is moving it. */
const OWNER_POWERABLE: readonly MachineStatus[] = ['ALLOCATED', 'DEPLOYED'];

export interface MachinePowerDeps {
  readonly registry: MachineRegistry;
  readonly drivers: PowerDrivers;
  readonly secrets: SecretTable;
  readonly timeoutMs: number;
  /** The kind of the BIOS-halt sequence stored for a machine (deploy, release, ...), or null. */
  readonly runningSequence: (machineId: string) => string | null;
}

export class MachinePower {
  constructor(private readonly deps: MachinePowerDeps) {}

  async power(actor: Principal, ref: string, action: PowerAction): Promise<Machine> {
    const machine = this.permitted(actor, ref, action === 'status' ? 'read its power from the BMC' : `power it ${action}`);
    await callPower(this.deps.drivers, this.deps.secrets, machine, this.deps.timeoutMs, async (driver, target, signal) => {
      if (action === 'on') return driver.powerOn(target, signal);
      if (action === 'off') return driver.powerOff(target, signal);
      if (action === 'cycle') return driver.powerCycle(target, signal);
      await driver.queryState(target, signal);
    });
    return this.reread(machine);
  }

  async setBootDevice(actor: Principal, ref: string, device: ManualBootDevice, persistent: boolean): Promise<Machine> {
    const machine = this.permitted(actor, ref, `set its boot device to ${device}`);
    await callPower(this.deps.drivers, this.deps.secrets, machine, this.deps.timeoutMs, (driver, target, signal) =>
      driver.setBootDevice(target, { device, persistent, mode: machine.power.bootMode }, signal),
    );
    return this.reread(machine);
  }

  /** The visible machine, once the actor may act on it and nothing else drives its power. */
  private permitted(actor: Principal, ref: string, action: string): Machine {
    requireWriter(actor, 'power machines');
    const machine = this.deps.registry.getVisible(actor, ref);
    if (actor.role !== 'admin') {
      if (machine.owner !== actor.user) throw new NotMachineOwnerError(machine.id, actor.user);
      requireStatus(machine, OWNER_POWERABLE, action);
    }
    const sequence = this.deps.runningSequence(machine.id);
    if (sequence !== null) throw new MachinePowerBusyError(machine.id, `a ${sequence} sequence`, action);
    if (machine.status === 'COMMISSIONING') throw new MachinePowerBusyError(machine.id, 'commissioning', action);
    // The manual driver asks an operator and waits for a confirmation, far past any API deadline.
    if (machine.power.driver === 'manual' && !action.startsWith('read')) {
      throw new PowerActionUnsupportedError(machine.id, 'manual', action);
    }
    return machine;
  }

  private reread(machine: Machine): Machine {
    return this.deps.registry.table().get(machine.id) ?? machine;
  }
}
