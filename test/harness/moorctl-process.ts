// Runs the built moorctl (dist/coordinator/src/cli/main.js) as a real process. Free of vitest, so
// benchmarks and the lab can use what the tests use (coordinator-cli.ts adds the test helpers).
import { execFile } from 'node:child_process';
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
