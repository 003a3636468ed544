// Commissioning, for now: check that the machine's power driver answers and record the power
// state; hardware details are taken as enlisted. Two transactions around the driver call:
// -> COMMISSIONING (persisted before acting), then -> READY (with the pool's auto-reservation,
// in the same transaction) or -> FAILED_COMMISSIONING with the reason. A coordinator restart
// resumes machines it finds in COMMISSIONING.
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { PowerDrivers } from '../power/power-driver.js';
import { PowerQueryTimeoutError } from '../power/errors.js';
import type { SecretTable } from '../store/secret-table.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import { SYSTEM_PRINCIPAL, type Principal } from '../tenancy/user.js';
import type { Machine, PowerState } from './machine.js';
import type { MachineRegistry } from './machine-registry.js';
import type { MachineWriter } from './machine-writer.js';

export interface CommissionerDeps {
  readonly store: Store;
  readonly registry: MachineRegistry;
  readonly writer: MachineWriter;
  readonly drivers: PowerDrivers;
  readonly secrets: SecretTable;
  readonly powerTimeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class Commissioner {
  constructor(private readonly deps: CommissionerDeps) {}

  /** Commissions `ref` and resolves with the machine once it is READY or FAILED_COMMISSIONING. */
  async commission(actor: Principal, ref: string): Promise<Machine> {
    requireAdmin(actor, 'commission machines');
    const started = await this.deps.store.write((scope) => {
      const machine = this.deps.registry.getVisible(actor, ref);
      return this.deps.writer.transition(scope, actor.user, machine, 'COMMISSIONING', 'commission', 'commissioning requested', {
        statusReason: '',
      });
    });
    return this.finish(actor, started);
  }

  /** Resumes every machine left in COMMISSIONING by a previous run. */
  async resume(): Promise<number> {
    const pending = [...this.deps.writer.table.list({ status: 'COMMISSIONING', afterId: '' })];
    await Promise.all(pending.map((machine) => this.finish(SYSTEM_PRINCIPAL, machine)));
    return pending.length;
  }

  private async finish(actor: Principal, machine: Machine): Promise<Machine> {
    const started = this.deps.clock.now();
    let outcome: { ok: true; powerState: PowerState } | { ok: false; reason: string };
    try {
      outcome = { ok: true, powerState: await this.queryPower(machine) };
    } catch (error) {
      outcome = { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
    this.deps.logger.info(
      { machineId: machine.id, driver: machine.power.driver, ok: outcome.ok, durationMs: this.deps.clock.now() - started },
      'power driver queried',
    );
    return this.deps.store.write((scope) => {
      const current = this.deps.writer.table.get(machine.id);
      // Deleted or moved on (marked broken) while the driver was answering: leave it be.
      if (!current || current.status !== 'COMMISSIONING') return current ?? machine;
      if (outcome.ok) {
        return this.deps.writer.transition(scope, actor.user, current, 'READY', 'commission', 'power driver answered', {
          powerState: outcome.powerState,
          commissioned: true,
        });
      }
      return this.deps.writer.transition(scope, actor.user, current, 'FAILED_COMMISSIONING', 'commission', outcome.reason, {
        statusReason: outcome.reason,
      });
    });
  }

  private async queryPower(machine: Machine): Promise<PowerState> {
    const driver = this.deps.drivers.get(machine.power.driver);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new PowerQueryTimeoutError(machine.power.driver, this.deps.powerTimeoutMs));
      }, this.deps.powerTimeoutMs);
      timer.unref();
    });
    try {
      const target = { machine, password: () => this.deps.secrets.password(machine) };
      return await Promise.race([driver.queryState(target, controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
