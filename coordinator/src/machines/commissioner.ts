// Commissioning: check that the machine's power driver answers, record the power state, and read
// the machine's hardware from its BMC where the driver can (redfish, ipmi: see hardware-facts.ts).
// Two transactions around the driver calls: -> COMMISSIONING (persisted before acting), then ->
// READY (with the facts, the pool's auto-reservation and an event for every contradiction between
// the facts and the typed-in values, all in one transaction) or -> FAILED_COMMISSIONING with the
// reason. A coordinator restart resumes machines it finds in COMMISSIONING.
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { PowerDrivers } from '../power/power-driver.js';
import { PowerQueryTimeoutError } from '../power/errors.js';
import type { PowerDriver, PowerTarget } from '../power/power-driver.js';
import type { SecretTable } from '../store/secret-table.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import { SYSTEM_PRINCIPAL, type Principal } from '../tenancy/user.js';
import {
  compareWithTyped,
  describeMismatches,
  EMPTY_INVENTORY,
  holdsFacts,
  normaliseInventory,
  type HardwareFacts,
  type HardwareSource,
} from './hardware-facts.js';
import { HardwareInventoryError } from './errors.js';
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
    let outcome: { ok: true; powerState: PowerState; facts: HardwareFacts | null } | { ok: false; reason: string };
    try {
      const powerState = await this.callDriver(machine, 'power driver queried', (driver, target, signal) =>
        driver.queryState(target, signal),
      );
      outcome = { ok: true, powerState, facts: await this.readHardware(machine) };
    } catch (error) {
      outcome = { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
    return this.deps.store.write((scope) => {
      const current = this.deps.writer.table.get(machine.id);
      // Deleted or moved on (marked broken) while the driver was answering: leave it be.
      if (!current || current.status !== 'COMMISSIONING') return current ?? machine;
      if (!outcome.ok) {
        return this.deps.writer.transition(scope, actor.user, current, 'FAILED_COMMISSIONING', 'commission', outcome.reason, {
          statusReason: outcome.reason,
        });
      }
      const { facts } = outcome;
      const why = facts ? `power driver answered; hardware read from ${facts.source}` : 'power driver answered';
      const ready = this.deps.writer.transition(scope, actor.user, current, 'READY', 'commission', why, {
        powerState: outcome.powerState,
        commissioned: true,
        // A commissioning that read no facts leaves the earlier ones (they carry their own time).
        ...(facts ? { hardware: facts } : {}),
      });
      const mismatches = facts ? compareWithTyped(current, facts) : [];
      if (facts && mismatches.length > 0) {
        const details: Record<string, string> = { source: facts.source };
        for (const m of mismatches) {
          details[`${m.field}.enlisted`] = m.typed;
          details[`${m.field}.reported`] = m.found;
        }
        this.deps.writer.note(scope, actor.user, ready, 'machine.hardware-mismatch', describeMismatches(facts.source, mismatches), details);
      }
      return ready;
    });
  }

  /** The BMC's hardware facts, or null when the driver cannot read hardware or the BMC reported none. */
  private async readHardware(machine: Machine): Promise<HardwareFacts | null> {
    const source = machine.power.driver;
    if ((source !== 'redfish' && source !== 'ipmi') || !this.deps.drivers.get(source).inventory) return null;
    let raw;
    try {
      raw = await this.callDriver(machine, 'hardware inventory read', (driver, target, signal) =>
        driver.inventory ? driver.inventory(target, signal) : Promise.resolve(EMPTY_INVENTORY),
      );
    } catch (error) {
      throw new HardwareInventoryError(machine.id, source, error);
    }
    const inventory = normaliseInventory(raw);
    if (!holdsFacts(inventory)) {
      this.deps.logger.info({ machineId: machine.id, driver: source }, 'BMC reported no hardware facts');
      return null;
    }
    return { ...inventory, source: source satisfies HardwareSource, gatheredAt: this.deps.clock.now() };
  }

  /** One driver call, bounded by the power timeout (the driver sees the abort), logged as `done` with its duration. */
  private async callDriver<T>(
    machine: Machine,
    done: string,
    call: (driver: PowerDriver, target: PowerTarget, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
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
    const started = this.deps.clock.now();
    let ok = false;
    try {
      const target = { machine, password: () => this.deps.secrets.password(machine) };
      const result = await Promise.race([call(driver, target, controller.signal), timeout]);
      ok = true;
      return result;
    } finally {
      clearTimeout(timer);
      this.deps.logger.info({ machineId: machine.id, driver: machine.power.driver, ok, durationMs: this.deps.clock.now() - started }, done);
    }
  }
}
