// The daemon's configuration flags, one per key (except the token, which never goes in argv).
// No commander defaults: a flag is present in opts() only when given, so loadAgentConfig can tell
// a flag from a default and apply flags > env > file > defaults. --help still shows each default
// and its environment variable.

import { Command, Option } from 'commander';
import { CONFIG_FILE_ENV, CONFIG_KEYS, CONFIG_KEY_NAMES, defaultValue, type KeySpec } from './config-schema.js';

/** Keys whose flag may be given more than once. */
const LIST_KEYS: ReadonlySet<string> = new Set(['coordinators']);

/** The --config option plus one option per configuration key, for the daemon command. */
export function agentConfigOptions(): Option[] {
  const options = [new Option('-c, --config <file>', `configuration file, YAML or JSON (env ${CONFIG_FILE_ENV})`)];
  for (const key of CONFIG_KEY_NAMES) {
    const spec: KeySpec = CONFIG_KEYS[key];
    if (spec.flag === null) continue;
    const fallback = defaultValue(key);
    const shown = spec.defaultText ?? (typeof fallback === 'string' ? fallback : undefined);
    const parts = [spec.description, shown === undefined ? undefined : `default ${shown}`, `env ${spec.env}`].filter(Boolean);
    const option = new Option(`${spec.flag} <${spec.arg}>`, parts.join('; '));
    // A list key takes its flag repeatedly; each occurrence adds an entry (commas split too).
    if (LIST_KEYS.has(key)) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), ...value.split(',')]);
    options.push(option);
  }
  return options;
}

/** Adds agentConfigOptions() to a command and returns it. */
export function addAgentConfigOptions(command: Command): Command {
  for (const option of agentConfigOptions()) command.addOption(option);
  return command;
}
