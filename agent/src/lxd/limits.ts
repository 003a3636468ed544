// LXD's limit notations (instance options reference): limits.cpu is a count ("2") or a CPU set
// ("0-3", "0,2,4"); sizes are bytes with an optional decimal (kB, MB, ...) or binary (KiB, MiB, ...)
// suffix, and limits.memory may also be a percentage of the host's memory.

import { formatCpuSet, parseCpuSet } from '../../../proto/shared/cpu-set.js';

export { formatCpuSet, parseCpuSet };

const UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  PiB: 2 ** 50,
};

/** Bytes of an LXD size ("1GiB", "512MB", "1073741824"); null when it is not one. */
export function parseLxdSize(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(v);
  if (!m) return null;
  const unit = m[2] === '' ? 'B' : m[2]!;
  const factor = UNITS[unit];
  return factor === undefined ? null : Math.round(Number(m[1]) * factor);
}

/** limits.memory in bytes: a size, or a percentage of hostMemory. */
export function parseMemoryLimit(v: string, hostMemory: number): number | null {
  const pct = /^\s*(\d+(?:\.\d+)?)%\s*$/.exec(v);
  if (pct) return Math.round((Number(pct[1]) / 100) * hostMemory);
  return parseLxdSize(v);
}

export interface CpuLimit {
  cores: number;
  /** The pinned set, or null for a plain count. */
  pinned: number[] | null;
}

/**
 * limits.cpu read as cores: a bare number is a count; anything else a pinned set. When unset, a
 * virtual machine gets LXD's default of 1 vCPU; a container is unlimited and counts as 0 (it
 * shares all host CPUs and reserves none).
 */
export function cpuLimit(value: string | undefined, type: string): CpuLimit {
  if (value === undefined || value.trim() === '') return { cores: type === 'virtual-machine' ? 1 : 0, pinned: null };
  if (/^\s*\d+\s*$/.test(value)) return { cores: Number(value), pinned: null };
  const set = parseCpuSet(value);
  return set ? { cores: set.length, pinned: set } : { cores: 0, pinned: null };
}

/** Default memory of an LXD virtual machine without limits.memory (LXD: 1GiB). */
export const VM_DEFAULT_MEMORY = 2 ** 30;
