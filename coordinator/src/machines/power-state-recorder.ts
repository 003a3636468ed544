// Keeps every machine's recorded power state current from every power driver call, whoever makes
// it (commissioning, the BIOS-halt sequencer, day-2 power, VM power, the periodic power sync): the
// drivers the coordinator hands out are wrapped once, here, so no caller can forget. After a call
// returns, the state it proves is written, with an event, when it differs from the record (a state
// the record already holds costs a read, no write):
//
// - a query's answer: `machine.power-drift` when the record held the other known state (the BMC
//   changed behind the coordinator's back: a button, another tool), `machine.power-state` when the
//   record said unknown;
// - powerOn / powerCycle prove on, powerOff proves off: `machine.power-state`.
//
// A query answering unknown (the manual driver before any confirmation, a Redfish system in a
// transitional state) is not written: it proves nothing, and the last known state is more useful.
// A failed call writes nothing. A failed write is logged and never fails the driver call.
//
// A call made inside a sequence step (collectStepWrites, store/step-writes.ts) does not write on
// its own: the change goes into the step's own write, after the call and before the step's event.
import type { Logger } from '../logger.js';
import { layeredDriver, type PowerDriver, type PowerDrivers, type PowerOperation } from '../power/power-driver.js';
import { collectingStepWrites } from '../store/step-writes.js';
import type { WriteScope } from '../store/store-backend.js';
import type { Store } from '../store/store.js';
import type { PowerState } from './machine.js';
import type { MachineWriter } from './machine-writer.js';

export interface PowerStateRecorderDeps {
  readonly store: Store;
  readonly writer: MachineWriter;
  readonly logger: Logger;
}

/** How a known state was learnt: asked of the BMC, or the result of an action the driver took. */
type Proof = 'query' | 'on' | 'off' | 'cycle';

/** The calls whose success proves a power state (setting the boot device or reading the hardware does not). */
const PROOFS: Partial<Record<PowerOperation, Proof>> = { queryState: 'query', powerOn: 'on', powerOff: 'off', powerCycle: 'cycle' };

export class PowerStateRecorder {
  constructor(private readonly deps: PowerStateRecorderDeps) {}

  /** `drivers`, each call of each driver followed by recording the state it proves. */
  wrap(drivers: PowerDrivers): PowerDrivers {
    return drivers.map((driver) => this.recording(driver));
  }

  private recording(driver: PowerDriver): PowerDriver {
    return layeredDriver(driver, async (operation, target, _signal, call) => {
      const result = await call();
      const proof = PROOFS[operation];
      if (proof) {
        // A query proves what it answered; on, off and cycle prove the state they leave.
        const state = proof === 'query' ? (result as PowerState) : proof === 'off' ? 'off' : 'on';
        await this.record(target.machine.id, driver.name, proof, state);
      }
      return result;
    });
  }

  private async record(machineId: string, driver: string, proof: Proof, state: PowerState): Promise<void> {
    if (state === 'unknown') return;
    // Most calls prove what the record already holds (a deploy's first read, every periodic sync):
    // a read tells so without a write transaction; a change is checked again inside the write.
    const recorded = this.deps.writer.table.get(machineId);
    if (!recorded || recorded.powerState === state) return;
    const step = collectingStepWrites();
    if (step) {
      step.add((scope) => this.change(scope, machineId, driver, proof, state));
      return;
    }
    try {
      await this.deps.store.write((scope) => this.change(scope, machineId, driver, proof, state));
    } catch (err) {
      this.deps.logger.warn({ err, machineId, powerState: state }, 'could not record the power state a driver call proved');
    }
  }

  /** Inside a write: the machine's power state and its event, unless the record holds that state already. */
  private change(scope: WriteScope, machineId: string, driver: string, proof: Proof, state: PowerState): void {
    const current = this.deps.writer.table.get(machineId);
    if (!current || current.powerState === state) return;
    const drift = proof === 'query' && current.powerState !== 'unknown';
    const why = drift
      ? `the BMC reports power ${state}; the coordinator had recorded ${current.powerState}`
      : proof === 'query'
        ? `the BMC reports power ${state}`
        : `power ${proof} through the ${driver} driver`;
    this.deps.writer.update(
      scope,
      'system',
      current,
      { ...current, powerState: state },
      drift ? 'machine.power-drift' : 'machine.power-state',
      why,
      { recorded: current.powerState, powerState: state, driver, source: proof },
    );
  }
}
