// Runs the built binaries (npm test builds dist/ before vitest) and captures their output.

import { execFile } from 'node:child_process';
import path from 'node:path';

// The repository root, whether this runs from the sources (vitest) or compiled under dist/ (benchmarks).
export const ROOT = path.resolve(new URL('../..', import.meta.url).pathname).replace(/\/dist$/, '');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runNode(script: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, script), ...args], { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export const agentCli = (args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> => runNode('dist/agent/src/main.js', args, env);
