// The operator's side of the lab: runs real commands (moorctl, ovs-vsctl, ipmitool) as an operator
// would type them, prints each command line before it runs and, as it comes, what it prints.
// Secrets never appear: tokens and passwords reach commands through files or the environment,
// and commands whose output holds a secret are run with `show: 'none'` and summarised by the caller.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { MOORCTL_MAIN } from '../harness/coordinator-process.js';
import type { Progress } from './progress.js';

export interface RunOptions {
  /** Which output lines to print: all (default), none, or those a filter keeps. */
  readonly show?: 'all' | 'none' | ((line: string) => boolean);
  /** Bound on the command (default 60 s). */
  readonly timeoutMs?: number;
  /** Environment added to the command's (never printed). */
  readonly env?: Readonly<Record<string, string>>;
}

export class CommandFailedError extends Error {
  constructor(
    readonly commandLine: string,
    readonly detail: string,
  ) {
    super(`\`${commandLine}\` ${detail}`);
    this.name = 'CommandFailedError';
  }
}

/** An argument as a POSIX shell would need it typed. */
export function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export class OperatorShell {
  private readonly running = new Set<ChildProcess>();
  private closed = false;

  /** `moorctlEnv`: MOORING_COORDINATOR, MOORING_CA and MOORING_TOKEN for the admin's commands. */
  constructor(
    private readonly progress: Progress,
    private readonly moorctlEnv: Readonly<Record<string, string>>,
  ) {}

  /** Runs `moorctl ARGS` (the built CLI); resolves with its standard output. */
  moorctl(args: readonly string[], options: RunOptions = {}): Promise<string> {
    return this.run(`moorctl ${args.map(shellWord).join(' ')}`, process.execPath, [MOORCTL_MAIN, ...args], {
      ...options,
      env: { ...this.moorctlEnv, ...options.env },
    });
  }

  /** Runs `command ARGS` as printed; resolves with its standard output, rejects naming the command line. */
  command(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
    return this.run([command, ...args].map(shellWord).join(' '), command, args, options);
  }

  /** Kills commands still running and refuses new ones (the lab is stopping). */
  close(): void {
    this.closed = true;
    for (const child of this.running) child.kill('SIGKILL');
  }

  private run(commandLine: string, file: string, args: readonly string[], options: RunOptions): Promise<string> {
    if (this.closed) return Promise.reject(new CommandFailedError(commandLine, 'not run: the lab is stopping'));
    const show = options.show ?? 'all';
    const keep = show === 'all' ? (): boolean => true : show === 'none' ? (): boolean => false : show;
    this.progress.line(`$ ${commandLine}`);
    const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '', ...options.env } });
    this.running.add(child);
    let stdout = '';
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`;
      if (keep(line)) this.progress.line(line);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timeoutMs = options.timeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('error', (err) => {
        clearTimeout(timer);
        this.running.delete(child);
        reject(new CommandFailedError(commandLine, `could not start: ${err.message}`));
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        this.running.delete(child);
        if (code === 0) return resolve(stdout);
        const why = signal === 'SIGKILL' ? `did not finish within ${timeoutMs / 1000} s` : `exited with ${code ?? signal}`;
        reject(new CommandFailedError(commandLine, `${why}${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
      });
    });
  }
}
