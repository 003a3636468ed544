// Edits of an enlisted machine (`moorctl machine update`, admin): tags, pool, zone, hostname and
// power settings, in one transaction with one `machine.updated` event naming what changed (never
// a password). Power settings arrive checked by the enlist schema and replace the old ones whole;
// the password follows enlist's rules, and giving neither password nor password file keeps the
// stored one. A pool move re-applies auto-reservation as enlist and commissioning do: the new
// pool's rule reserves the machine; with no rule there, a reservation the old pool's rule made is
// dropped (it belonged to that pool), while one made by hand stays.
import { InvalidArgumentError } from '../domain-error.js';
import type { SecretTable } from '../store/secret-table.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import { NotFoundError } from '../tenancy/errors.js';
import type { PoolRegistry } from '../tenancy/pool-registry.js';
import type { Principal } from '../tenancy/user.js';
import { HostnameTakenError, MachinePowerBusyError } from './errors.js';
import { describeHolder, holderKey, type Holder, type Machine, type PowerSettings } from './machine.js';
import { checkPasswordFile, type EnlistSpec, type MachineRegistry } from './machine-registry.js';
import type { MachineWriter } from './machine-writer.js';

export interface MachineEdit {
  /** null: unchanged; [] clears the tags. */
  readonly tags: readonly string[] | null;
  readonly pool: string | null;
  readonly zone: string | null;
  readonly hostname: string | null;
  readonly power: EnlistSpec['power'] | null;
}

export interface MachineEditorDeps {
  readonly store: Store;
  readonly registry: MachineRegistry;
  readonly writer: MachineWriter;
  readonly secrets: SecretTable;
  readonly pools: PoolRegistry;
  readonly runningSequence: (machineId: string) => string | null;
}

export class MachineEditor {
  constructor(private readonly deps: MachineEditorDeps) {}

  async update(actor: Principal, ref: string, edit: MachineEdit): Promise<Machine> {
    requireAdmin(actor, 'update machines');
    if (edit.power) await checkPasswordFile(edit.power.passwordFile);
    return this.deps.store.write((scope) => {
      const machine = this.deps.registry.getVisible(actor, ref);
      const changed: string[] = [];
      let after: Machine = machine;
      if (edit.tags !== null) {
        const tags = [...new Set(edit.tags)].sort();
        if (tags.join(',') !== machine.tags.join(',')) changed.push('tags');
        after = { ...after, tags };
      }
      if (edit.zone !== null && edit.zone !== machine.zone) {
        changed.push('zone');
        after = { ...after, zone: edit.zone };
      }
      if (edit.hostname !== null && edit.hostname !== machine.hostname) {
        if (this.deps.writer.table.hostnameTaken(edit.hostname)) throw new HostnameTakenError(edit.hostname);
        changed.push('hostname');
        after = { ...after, hostname: edit.hostname };
      }
      if (edit.pool !== null && edit.pool !== machine.pool) {
        if (!this.deps.pools.get(edit.pool)) throw new NotFoundError('pool', edit.pool);
        changed.push('pool');
        after = { ...after, pool: edit.pool, reservedFor: this.reservationAfterMove(machine, edit.pool) };
      }
      if (edit.power) {
        after = { ...after, power: this.powerSettings(machine, edit.power) };
        changed.push('power');
      }
      if (changed.length === 0) return machine;
      const details: Record<string, string> = { changed: changed.join(',') };
      if (changed.includes('pool')) {
        details['previousPool'] = machine.pool;
        details['reservedFor'] = describeHolder(after.reservedFor);
      }
      if (changed.includes('hostname')) details['previousHostname'] = machine.hostname;
      if (changed.includes('power')) {
        details['powerDriver'] = after.power.driver;
        details['powerAddress'] = after.power.address;
      }
      return this.deps.writer.update(scope, actor.user, machine, after, 'machine.updated', `changed ${changed.join(', ')}`, details);
    });
  }

  /** The reservation after moving `machine` into `pool` (see the file comment). */
  private reservationAfterMove(machine: Machine, pool: string): Holder | null {
    const rule = this.deps.pools.get(pool)?.autoReserveFor ?? null;
    if (rule) return rule;
    const oldRule = this.deps.pools.get(machine.pool)?.autoReserveFor ?? null;
    return oldRule && holderKey(oldRule) === holderKey(machine.reservedFor) ? null : machine.reservedFor;
  }

  /** The new power settings, the password stored or cleared as enlist would; refused mid-sequence. */
  private powerSettings(machine: Machine, given: EnlistSpec['power']): PowerSettings {
    const sequence = this.deps.runningSequence(machine.id);
    if (sequence !== null) throw new MachinePowerBusyError(machine.id, `a ${sequence} sequence`, 'change its power settings');
    if (machine.status === 'COMMISSIONING') throw new MachinePowerBusyError(machine.id, 'commissioning', 'change its power settings');
    // A VM's power address names its instance on a VM host; the VM host owns it.
    if ((machine.power.driver === 'lxd') !== (given.driver === 'lxd')) {
      throw new InvalidArgumentError('power.driver', 'lxd power belongs to VM hosts: a machine cannot move to or from it');
    }
    const { password, ...settings } = given;
    if (password !== null || settings.passwordFile !== null) {
      // The stored password wins over a password file (secret-table.ts): a new file clears it.
      this.deps.secrets.setPassword(machine.id, password);
      return { ...settings, hasPassword: password !== null };
    }
    return { ...settings, passwordFile: machine.power.passwordFile, hasPassword: machine.power.hasPassword };
  }
}
