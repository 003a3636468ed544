// The machine lifecycle: which status may follow which (ARCHITECTURE.md "Coordinator model").
// machine-registry.ts runs every change through `checkTransition`, so an illegal request fails
// before anything is written and the error names the current status.
import { IllegalTransitionError } from './errors.js';
import type { Machine, MachineStatus } from './machine.js';

const NEXT: Readonly<Record<MachineStatus, readonly MachineStatus[]>> = {
  NEW: ['COMMISSIONING', 'BROKEN'],
  COMMISSIONING: ['READY', 'FAILED_COMMISSIONING', 'BROKEN'],
  READY: ['ALLOCATED', 'COMMISSIONING', 'BROKEN'],
  ALLOCATED: ['DEPLOYING', 'RELEASING', 'BROKEN'],
  DEPLOYING: ['DEPLOYED', 'FAILED_DEPLOYMENT', 'BROKEN'],
  DEPLOYED: ['RELEASING', 'BROKEN'],
  RELEASING: ['READY', 'BROKEN'],
  BROKEN: ['NEW', 'READY', 'ALLOCATED', 'DEPLOYED'],
  FAILED_COMMISSIONING: ['COMMISSIONING', 'BROKEN'],
  FAILED_DEPLOYMENT: ['RELEASING', 'BROKEN'],
};

export function canTransition(from: MachineStatus, to: MachineStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws IllegalTransitionError (naming the current status) unless `machine` may move to `to`. */
export function checkTransition(machine: Machine, to: MachineStatus, action: string): void {
  if (!canTransition(machine.status, to)) throw new IllegalTransitionError(machine.id, machine.status, action);
}

/** Throws unless the machine is in one of `allowed` (for actions that are not transitions). */
export function requireStatus(machine: Machine, allowed: readonly MachineStatus[], action: string): void {
  if (!allowed.includes(machine.status)) throw new IllegalTransitionError(machine.id, machine.status, action);
}

/**
 * Where mark-fixed returns a BROKEN machine: where it was if that was a resting state (READY,
 * ALLOCATED, DEPLOYED); anything else (half-done commissioning or deployment) starts over at NEW.
 */
export function fixedStatus(machine: Machine): MachineStatus {
  const from = machine.brokenFrom;
  if (from === 'READY' || from === 'ALLOCATED' || from === 'DEPLOYED') return from;
  return 'NEW';
}
