// The parts of a DMTF ComputerSystem resource the driver uses, read once from the JSON (pure).
// Schema: PowerState On|Off|PoweringOn|PoweringOff|Paused; Boot.BootSourceOverride{Enabled,Target,Mode}
// with optional @Redfish.AllowableValues; Actions["#ComputerSystem.Reset"] {target,
// ResetType@Redfish.AllowableValues}. ETag from the header, else the body's @odata.etag.
import type { BootDevice, BootRequest } from '../power-driver.js';

export interface BootOverride {
  readonly enabled: string | null;
  readonly target: string | null;
  readonly mode: string | null;
  /** null when the BMC does not list them (then any schema value may be tried). */
  readonly allowedTargets: readonly string[] | null;
  readonly allowedEnabled: readonly string[] | null;
  readonly allowedModes: readonly string[] | null;
}

export interface ComputerSystem {
  readonly powerState: string | null;
  readonly boot: BootOverride;
  readonly resetTarget: string | null;
  readonly allowedResetTypes: readonly string[] | null;
  readonly etag: string | null;
  /**
   * DSP0266 "Settings resource": `@Redfish.Settings.SettingsObject`, where a BMC that applies
   * changes at the next reset takes them (the system itself refuses the PATCH); null when absent.
   */
  readonly settingsObject: string | null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function list(value: unknown): readonly string[] | null {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : null;
}

export function parseComputerSystem(body: unknown, etagHeader: string | null): ComputerSystem {
  const system = record(body);
  const boot = record(system['Boot']);
  const reset = record(record(system['Actions'])['#ComputerSystem.Reset']);
  return {
    powerState: text(system['PowerState']),
    boot: {
      enabled: text(boot['BootSourceOverrideEnabled']),
      target: text(boot['BootSourceOverrideTarget']),
      mode: text(boot['BootSourceOverrideMode']),
      allowedTargets: list(boot['BootSourceOverrideTarget@Redfish.AllowableValues']),
      allowedEnabled: list(boot['BootSourceOverrideEnabled@Redfish.AllowableValues']),
      allowedModes: list(boot['BootSourceOverrideMode@Redfish.AllowableValues']),
    },
    resetTarget: text(reset['target']),
    allowedResetTypes: list(reset['ResetType@Redfish.AllowableValues']),
    etag: etagHeader ?? text(system['@odata.etag']),
    settingsObject: text(record(record(system['@Redfish.Settings'])['SettingsObject'])['@odata.id']),
  };
}

/** Ironic's mapping: BIOS is BiosSetup, the rest by name. */
export const BOOT_TARGETS: Readonly<Record<BootDevice, string>> = { bios: 'BiosSetup', pxe: 'Pxe', disk: 'Hdd', cdrom: 'Cd' };

export interface BootPatch {
  readonly BootSourceOverrideTarget: string;
  readonly BootSourceOverrideEnabled: 'Once' | 'Continuous';
  readonly BootSourceOverrideMode?: 'UEFI' | 'Legacy';
}

/** The Boot object to PATCH. Mode is left out when the BMC does not show the property at all. */
export function bootPatch(request: BootRequest, system: ComputerSystem): BootPatch {
  const patch: BootPatch = {
    BootSourceOverrideTarget: BOOT_TARGETS[request.device],
    BootSourceOverrideEnabled: request.persistent ? 'Continuous' : 'Once',
  };
  if (system.boot.mode === null) return patch;
  return { ...patch, BootSourceOverrideMode: request.mode === 'uefi' ? 'UEFI' : 'Legacy' };
}

/** Whether the system already shows the override (a re-PATCH would only move the ETag). */
export function overrideInPlace(patch: BootPatch, system: ComputerSystem): boolean {
  return (
    system.boot.target === patch.BootSourceOverrideTarget &&
    system.boot.enabled === patch.BootSourceOverrideEnabled &&
    (patch.BootSourceOverrideMode === undefined || system.boot.mode === patch.BootSourceOverrideMode)
  );
}

export type SettledPower = 'On' | 'Off';

/** On/Off are settled; PoweringOn/PoweringOff mean wait; Paused counts as On (the system has power). */
export function settledPower(powerState: string | null): SettledPower | null {
  if (powerState === 'On' || powerState === 'Paused') return 'On';
  if (powerState === 'Off') return 'Off';
  return null;
}
