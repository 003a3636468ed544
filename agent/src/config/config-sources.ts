// Picks each key's raw value from the highest-precedence source that sets it: flags over
// MOORING_AGENT_* environment variables over the config file (the schema's defaults come last).
// Raw values stay unknown here; only the schema turns them into typed values.

import type { ConfigFileValues } from './config-file.js';
import { CONFIG_FILE_ENV, CONFIG_KEYS, CONFIG_KEY_NAMES, ENV_PREFIX, type ConfigKey, type KeySpec } from './config-schema.js';
import type { ConfigIssue, ConfigSource } from './errors.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface RawConfig {
  /** The winning raw value of each key some source sets; keys no source sets are absent. */
  readonly values: Partial<Record<ConfigKey, unknown>>;
  /** Where each key's value comes from: { kind: 'default' } when no source sets it. */
  readonly sources: Readonly<Record<ConfigKey, ConfigSource>>;
}

/** Ranks sources by precedence, for settings two keys spell (token and tokenFile). */
export const SOURCE_RANK: Readonly<Record<ConfigSource['kind'], number>> = { default: 0, file: 1, env: 2, flag: 3 };

export function collectRaw(file: ConfigFileValues | undefined, env: Environment, flags: Readonly<Record<string, unknown>>): RawConfig {
  const values: Partial<Record<ConfigKey, unknown>> = {};
  const sources: Partial<Record<ConfigKey, ConfigSource>> = {};
  for (const key of CONFIG_KEY_NAMES) {
    const spec: KeySpec = CONFIG_KEYS[key];
    const fromFlag = spec.flag === null ? undefined : flags[key];
    const fromEnv = nonEmptyEnv(env, spec.env);
    const fromFile = file?.values[key];
    let source: ConfigSource = { kind: 'default' };
    let value: unknown;
    if (fromFlag !== undefined && spec.flag !== null) [source, value] = [{ kind: 'flag', flag: spec.flag }, fromFlag];
    else if (fromEnv !== undefined) [source, value] = [{ kind: 'env', name: spec.env }, fromEnv];
    else if (fromFile !== undefined && file) [source, value] = [{ kind: 'file', path: file.path }, fromFile];
    sources[key] = source;
    if (source.kind !== 'default') values[key] = value;
  }
  if (!coversEveryKey(sources)) throw new Error('a configuration key has no source');
  return { values, sources };
}

/** MOORING_AGENT_* variables that name no key: a typo must not fall back to a default silently. */
export function unknownEnvIssues(env: Environment): ConfigIssue[] {
  const known = new Set([CONFIG_FILE_ENV, ...CONFIG_KEY_NAMES.map((k) => CONFIG_KEYS[k].env)]);
  return Object.keys(env)
    .sort()
    .filter((name) => name.startsWith(ENV_PREFIX) && !known.has(name))
    .map((name) => ({ key: name, source: { kind: 'env', name }, problem: 'unknown environment variable' }));
}

/** An empty variable counts as unset, as shells make unsetting awkward in unit files. */
export function nonEmptyEnv(env: Environment, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function coversEveryKey<T>(record: Partial<Record<ConfigKey, T>>): record is Record<ConfigKey, T> {
  return CONFIG_KEY_NAMES.every((key) => record[key] !== undefined);
}
