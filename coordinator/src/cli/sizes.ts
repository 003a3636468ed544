// Parsing sizes and durations given on the command line.
import { UsageError } from './connection.js';

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  M: 1,
  MI: 1,
  MIB: 1,
  G: 1024,
  GI: 1024,
  GIB: 1024,
  T: 1024 * 1024,
  TI: 1024 * 1024,
  TIB: 1024 * 1024,
};

/** "64G", "512M", "2T" or a bare number of MiB -> MiB. */
export function parseMemoryMib(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(text.trim());
  const factor = match ? MEMORY_UNITS[(match[2] ?? '').toUpperCase()] : undefined;
  if (!match || factor === undefined) throw new UsageError(`${flag}: expected a size like 64G or 512M, got ${text}`);
  return Math.round(Number(match[1]) * factor);
}

export function parseCount(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag}: expected a whole number, got ${text}`);
  return Number(text);
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "90d", "12h", "30m", "45s" -> seconds. */
export function parseDurationSeconds(text: string, flag: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag}: expected a duration like 30d, 12h, 30m or 45s, got ${text}`);
  return Number(match[1]) * (DURATION_UNITS[match[2] ?? 's'] ?? 1);
}

/** KEY=VALUE pairs -> a record. */
export function parsePairs(pairs: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag}: expected KEY=VALUE, got ${pair}`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}
