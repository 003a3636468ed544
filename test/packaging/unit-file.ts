// Reads the project's systemd unit files (packaging/systemd/) into sections of repeated keys, as
// systemd.syntax(7) describes them: comments start with # or ;, a key may repeat, an empty
// assignment resets the list. No line continuations are used in these units.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/cli.js';

export type UnitFile = Record<string, Record<string, string[]>>;

export const UNIT_DIR = path.join(ROOT, 'packaging', 'systemd');

export function parseUnit(text: string): UnitFile {
  const unit: UnitFile = {};
  let section: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = unit[header[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 1) throw new Error(`not a unit file line: ${raw}`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    section[key] = value === '' ? [] : [...(section[key] ?? []), value];
  }
  return unit;
}

export function readUnit(name: string): UnitFile {
  return parseUnit(readFileSync(path.join(UNIT_DIR, name), 'utf8'));
}

/** The one value of a key; throws when it is missing or repeated. */
export function single(unit: UnitFile, section: string, key: string): string {
  const values = unit[section]?.[key] ?? [];
  if (values.length !== 1) throw new Error(`[${section}] ${key} has ${values.length} values`);
  return values[0]!;
}

/** Space-separated words of every assignment of a key. */
export function words(unit: UnitFile, section: string, key: string): string[] {
  return (unit[section]?.[key] ?? []).flatMap((v) => v.split(/\s+/).filter(Boolean));
}

/** The [Service] Environment= assignments as variables. */
export function serviceEnvironment(unit: UnitFile): Record<string, string> {
  return Object.fromEntries(words(unit, 'Service', 'Environment').map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
}
