// Reads the --config file: JSON when the name ends in .json or the text starts with "{", YAML
// otherwise (.yaml, .yml or anything else). The top level must be a mapping of known keys; an
// unknown key is an error naming it, so a typo never silently falls back to a default.
// Parse errors report only the position: the parsers quote the offending line, which may hold
// the enrollment token.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError, errnoCode, type ConfigSource } from './errors.js';
import { CONFIG_KEY_NAMES, isConfigKey, type ConfigKey } from './config-schema.js';

export type FileFormat = 'json' | 'yaml';

export interface ConfigFileValues {
  path: string;
  format: FileFormat;
  /** Keys set in the file; null values (an empty YAML value) count as unset. */
  values: Partial<Record<ConfigKey, unknown>>;
}

export function detectFormat(file: string, content: string): FileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return content.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/** Reads and checks the file; throws ConfigError (key "config") naming the file and what is wrong. */
export async function readConfigFile(file: string): Promise<ConfigFileValues> {
  const absolute = path.resolve(file);
  const source: ConfigSource = { kind: 'file', path: absolute };
  const fail = (problem: string, cause?: unknown): ConfigError => new ConfigError([{ key: 'config', source, problem }], { cause });
  let content: string;
  try {
    content = await readFile(absolute, 'utf8');
  } catch (err) {
    throw fail(`cannot read the file (${errnoCode(err)})`);
  }
  const format = detectFormat(absolute, content);
  let doc: unknown;
  try {
    doc = format === 'json' ? JSON.parse(content) : parseYaml(content, { uniqueKeys: true, prettyErrors: true });
  } catch (err) {
    throw fail(parseProblem(format, content, err));
  }
  if (doc === null || doc === undefined) return { path: absolute, format, values: {} };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw fail(`the top level must be a mapping of keys (${CONFIG_KEY_NAMES.join(', ')})`);
  const values: Partial<Record<ConfigKey, unknown>> = {};
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (!isConfigKey(k)) unknown.push(k);
    else if (v !== null) values[k] = v;
  }
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map((k) => ({ key: k, source, problem: `unknown key (known keys: ${CONFIG_KEY_NAMES.join(', ')})` })));
  }
  return { path: absolute, format, values };
}

function parseProblem(format: FileFormat, content: string, err: unknown): string {
  if (format === 'yaml') {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      return `not valid YAML (${err.code}${at ? ` at line ${at.line} column ${at.col}` : ''})`;
    }
    return 'not valid YAML';
  }
  // V8 says "... in JSON at position N" (sometimes quoting the text, which we drop).
  const m = err instanceof Error ? /position (\d+)/.exec(err.message) : null;
  if (!m) return 'not valid JSON';
  const before = content.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `not valid JSON (at line ${line} column ${col})`;
}
