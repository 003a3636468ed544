// The periodic power sync: every interval, ask each BMC-driven machine's power driver for its
// state, a bounded number at a time, so the recorded power state follows what happened behind
// the coordinator's back (a button, another tool, a BMC's own power policy). Recording the answer,
// and the `machine.power-drift` event when it differs from the record, is the drivers' own layer
// (power-state-recorder.ts); this only decides when and whom to ask.
//
// Asked: ipmi and redfish machines that have been commissioned (their settings were proven once).
// Not asked: manual machines (nobody to ask), lxd machines (their state follows the VM host's LXD
// reports), machines under commissioning or a BIOS-halt sequence (that owns their power, and a
// state read mid-sequence is a transition, not drift). The next round is timed from the end of
// the last, so rounds never overlap; the timer is unref()ed so it never holds shutdown up.
import type { Logger } from '../logger.js';
import { callPower } from '../power/power-call.js';
import type { PowerDrivers } from '../power/power-driver.js';
import type { MachineTable } from '../store/machine-table.js';
import type { SecretTable } from '../store/secret-table.js';
import type { Machine } from './machine.js';

export interface PowerSyncOptions {
  /** Time between the end of one round and the start of the next; 0 turns the sync off. */
  readonly intervalMs: number;
  /** Machines asked at once in a round. */
  readonly concurrency: number;
  /** Bound on each driver call. */
  readonly timeoutMs: number;
}

export interface PowerSyncDeps {
  readonly table: MachineTable;
  readonly drivers: PowerDrivers;
  readonly secrets: SecretTable;
  readonly runningSequence: (machineId: string) => string | null;
  readonly logger: Logger;
  readonly options: PowerSyncOptions;
}

/** What one round did. */
export interface PowerSyncRound {
  readonly asked: number;
  readonly failed: number;
}

type SyncState = { type: 'idle' } | { type: 'waiting'; timer: NodeJS.Timeout } | { type: 'syncing' } | { type: 'stopped' };

export class PowerSync {
  private state: SyncState = { type: 'idle' };
  private readonly log: Logger;

  constructor(private readonly deps: PowerSyncDeps) {
    this.log = deps.logger.child({ component: 'power-sync' });
  }

  /** Schedules the first round one interval from now (nothing when the interval is 0). */
  start(): void {
    if (this.state.type !== 'idle') throw new Error(`the power sync cannot start: it is ${this.state.type}`);
    if (this.deps.options.intervalMs === 0) {
      this.log.info('power sync is off (interval 0)');
      return;
    }
    this.schedule();
  }

  stop(): void {
    if (this.state.type === 'waiting') clearTimeout(this.state.timer);
    this.state = { type: 'stopped' };
  }

  /** Whether the machine is one the sync asks about. */
  static asks(machine: Machine, runningSequence: string | null): boolean {
    if (machine.power.driver !== 'ipmi' && machine.power.driver !== 'redfish') return false;
    return machine.commissioned && machine.status !== 'COMMISSIONING' && runningSequence === null;
  }

  /** One round over the fleet now; resolves when every machine has answered or failed. */
  async syncOnce(): Promise<PowerSyncRound> {
    const queue = [...this.deps.table.list({ status: null, afterId: '' })].filter((m) =>
      PowerSync.asks(m, this.deps.runningSequence(m.id)),
    );
    let asked = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      for (let machine = queue.shift(); machine && this.state.type !== 'stopped'; machine = queue.shift()) {
        // Read again: it may have started a sequence or been deleted since the round began.
        const current = this.deps.table.get(machine.id);
        if (!current || !PowerSync.asks(current, this.deps.runningSequence(current.id))) continue;
        asked++;
        try {
          await callPower(this.deps.drivers, this.deps.secrets, current, this.deps.options.timeoutMs, (d, t, s) => d.queryState(t, s));
        } catch (err) {
          failed++;
          this.log.warn({ machineId: current.id, driver: current.power.driver, err }, 'power sync: the driver did not answer');
        }
      }
    };
    const workers = Math.max(1, Math.min(this.deps.options.concurrency, queue.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return { asked, failed };
  }

  private schedule(): void {
    const timer = setTimeout(() => void this.round(), this.deps.options.intervalMs);
    timer.unref();
    this.state = { type: 'waiting', timer };
  }

  private async round(): Promise<void> {
    if (this.state.type !== 'waiting') return;
    this.state = { type: 'syncing' };
    const started = Date.now();
    try {
      const round = await this.syncOnce();
      this.log.info({ ...round, durationMs: Date.now() - started }, 'power sync round done');
    } catch (err) {
      this.log.error({ err }, 'power sync round stopped on an internal error');
    }
    if (this.state.type === 'syncing') this.schedule();
  }
}
