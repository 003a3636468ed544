// Running the NIC tools (ip, devlink, mlxconfig/mstconfig): execFile without a shell, a bounded
// time per call, and the program's stderr parsed once, here, into a ToolFailedError carrying the
// errno the kernel answered with (iproute2 and devlink print it as "RTNETLINK answers: <strerror>",
// "kernel answers: <strerror>" or "devlink answers: <strerror>") and the driver's own message
// (devlink prints netlink extack as "Error: <driver>: <message>"). Callers wrap it in errors naming
// the PF and VF; nothing downstream matches on stderr text.

import { execFile } from 'node:child_process';
import type { Logger } from 'pino';
import { AgentError } from '../common/agent-error.js';

export interface ToolOutput {
  stdout: string;
  stderr: string;
}

/** Runs one program with arguments; the seam tests use to count or fail calls. */
export interface ToolRunner {
  run(program: string, args: readonly string[], timeoutMs: number): Promise<ToolOutput>;
}

/** The program is not installed (ENOENT on exec) or not executable (EACCES). */
export class ToolMissingError extends AgentError {
  readonly code = 'tool-missing';
  constructor(
    readonly program: string,
    /** ENOENT or EACCES. */
    readonly errno: string,
  ) {
    super(`${program} cannot be run (${errno}); install it or set its path in the agent configuration`);
  }
}

/** The program did not finish within its bound and was killed. */
export class ToolTimeoutError extends AgentError {
  readonly code = 'tool-timeout';
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly timeoutMs: number,
  ) {
    super(`${program} ${args.join(' ')} did not finish within ${timeoutMs} ms`);
  }
}

/** The program exited non-zero. */
export class ToolFailedError extends AgentError {
  readonly code = 'tool-failed';
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    /** The errno name parsed from stderr (EBUSY, EOPNOTSUPP, EINVAL, ENODEV...), or null. */
    readonly errno: string | null,
    /** The driver's extack message, or the first stderr line when there is none. */
    readonly reason: string,
  ) {
    super(`${program} ${args.join(' ')} failed (exit ${exitCode ?? 'signal'}): ${reason}${errno ? ` (${errno})` : ''}`);
  }
}

/** strerror(3) texts the tools print, to errno names. */
const STRERROR: Record<string, string> = {
  'Operation not permitted': 'EPERM',
  'No such file or directory': 'ENOENT',
  'No such device': 'ENODEV',
  'Device or resource busy': 'EBUSY',
  'Invalid argument': 'EINVAL',
  'Numerical result out of range': 'ERANGE',
  'Operation not supported': 'EOPNOTSUPP',
  'Not supported': 'EOPNOTSUPP',
  'Permission denied': 'EACCES',
  'Cannot allocate memory': 'ENOMEM',
  'Input/output error': 'EIO',
  'Resource temporarily unavailable': 'EAGAIN',
  'No space left on device': 'ENOSPC',
};

export interface ParsedStderr {
  errno: string | null;
  reason: string;
}

/** Parses what ip/devlink/mlxconfig print on failure. */
export function parseToolStderr(stderr: string): ParsedStderr {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  let errno: string | null = null;
  let extack: string | null = null;
  for (const line of lines) {
    const answers = /^(?:RTNETLINK|kernel|devlink) answers: (.+?)\.?$/.exec(line);
    if (answers) errno = STRERROR[answers[1]!] ?? errno;
    const ext = /^Error: (?:[\w-]+: )?(.+?)\.?$/.exec(line);
    if (ext && extack === null) extack = ext[1]!;
    if (/^Cannot find device /.test(line)) errno = 'ENODEV';
  }
  const first = lines.find((l) => !/^(?:RTNETLINK|kernel|devlink) answers:/.test(l)) ?? lines[0] ?? 'no error output';
  return { errno, reason: extack ?? (first.startsWith('-E- ') ? first.slice(4) : first) };
}

const MAX_OUTPUT = 16 * 1024 * 1024;

/** execFile with a timeout: no shell, arguments passed as they are. */
export class ExecToolRunner implements ToolRunner {
  constructor(private readonly log: Logger) {}

  run(program: string, args: readonly string[], timeoutMs: number): Promise<ToolOutput> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      execFile(
        program,
        [...args],
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT, encoding: 'utf8' },
        (err, stdout, stderr) => {
          const ms = Date.now() - started;
          if (err === null) {
            this.log.debug({ program, args, ms }, 'tool ran');
            resolve({ stdout, stderr });
            return;
          }
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number | null };
          if (typeof e.code === 'string' && (e.code === 'ENOENT' || e.code === 'EACCES')) {
            reject(new ToolMissingError(program, e.code));
            return;
          }
          if (e.killed === true) {
            this.log.warn({ program, args, ms, timeoutMs }, 'tool timed out');
            reject(new ToolTimeoutError(program, args, timeoutMs));
            return;
          }
          const parsed = parseToolStderr(stderr);
          this.log.warn({ program, args, ms, exitCode: e.code, errno: parsed.errno, reason: parsed.reason }, 'tool failed');
          reject(new ToolFailedError(program, args, typeof e.code === 'number' ? e.code : null, stderr, parsed.errno, parsed.reason));
        },
      );
    });
  }
}

/** Program paths and the per-call bound, from the agent configuration. */
export interface SriovTools {
  readonly runner: ToolRunner;
  readonly ip: string;
  readonly devlink: string;
  /** mlxconfig, or mstconfig (same query syntax); null when neither is configured. */
  readonly nvConfig: string | null;
  readonly timeoutMs: number;
}
