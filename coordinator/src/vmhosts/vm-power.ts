// Power for VMs on request (`moorctl vm power`): the same driver call the sequencer makes,
// through the lxd driver, then the power state recorded with an event. Admins, or the member who
// owns the machine; observers only read.
import { NotMachineOwnerError } from '../machines/errors.js';
import type { Machine, PowerState } from '../machines/machine.js';
import type { MachineRegistry } from '../machines/machine-registry.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import { callPower } from '../power/power-call.js';
import type { PowerDrivers } from '../power/power-driver.js';
import type { SecretTable } from '../store/secret-table.js';
import type { Store } from '../store/store.js';
import { requireWriter } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import { NotAVmError } from './errors.js';

export type VmPowerAction = 'on' | 'off' | 'cycle' | 'query';

export interface VmPowerDeps {
  readonly store: Store;
  readonly registry: MachineRegistry;
  readonly writer: MachineWriter;
  readonly drivers: PowerDrivers;
  readonly secrets: SecretTable;
  readonly timeoutMs: number;
}

export class VmPower {
  constructor(private readonly deps: VmPowerDeps) {}

  async power(actor: Principal, ref: string, action: VmPowerAction): Promise<Machine> {
    requireWriter(actor, 'power VMs');
    const machine = this.deps.registry.getVisible(actor, ref);
    if (actor.role !== 'admin' && machine.owner !== actor.user) throw new NotMachineOwnerError(machine.id, actor.user);
    if (machine.power.driver !== 'lxd') throw new NotAVmError(machine.hostname, machine.power.driver);
    const state = await callPower(
      this.deps.drivers,
      this.deps.secrets,
      machine,
      this.deps.timeoutMs,
      async (driver, target, signal): Promise<PowerState> => {
        if (action === 'on') await driver.powerOn(target, signal);
        if (action === 'off') await driver.powerOff(target, signal);
        if (action === 'cycle') await driver.powerCycle(target, signal);
        return driver.queryState(target, signal);
      },
    );
    return this.deps.store.write((scope) => {
      const current = this.deps.writer.table.get(machine.id) ?? machine;
      if (current.powerState === state) return current;
      return this.deps.writer.update(
        scope,
        actor.user,
        current,
        { ...current, powerState: state },
        'machine.power',
        `power ${action}: ${state}`,
        { action, powerState: state },
      );
    });
  }
}
