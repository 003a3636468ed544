// Runs the built moorctl (dist/coordinator/src/cli/main.js) as a real process.
import { execFile } from 'node:child_process';
import { expect } from 'vitest';
import { MOORCTL_MAIN } from './coordinator-process.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function moorctl(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [MOORCTL_MAIN, ...args],
      // Room for a whole fleet's listing (the default 1 MiB cuts it off).
      { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

/** The JSON document a successful `moorctl --json` call printed; fails the test on any error output. */
export async function expectJson(run: Promise<CliResult>): Promise<Record<string, unknown>> {
  const result = await run;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}
