// moorctl for tests: the process runner (moorctl-process.ts) and a helper that fails the test on
// any error output.
import { expect } from 'vitest';
import type { CliResult } from './moorctl-process.js';

export { moorctl, type CliResult } from './moorctl-process.js';

/** The JSON document a successful `moorctl --json` call printed; fails the test on any error output. */
export async function expectJson(run: Promise<CliResult>): Promise<Record<string, unknown>> {
  const result = await run;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}
