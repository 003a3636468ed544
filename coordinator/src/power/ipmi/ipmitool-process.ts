// Runs one ipmitool process. The password travels only in the child's environment (IPMI_PASSWORD,
// read by `-E`), never in argv; the environment is otherwise minimal so an IPMITOOL_PASSWORD or a
// locale of the coordinator's own cannot change what ipmitool does or prints. Each run has its own
// timeout and dies with the caller's AbortSignal: the child leads its own process group and the
// whole group gets SIGKILL, so nothing outlives the call (a wrapper script's ipmitool included).
import { killProcessGroup, spawnDirect, type Spawn } from './process-launcher.js';

export type IpmitoolOutcome =
  | { readonly type: 'exited'; readonly exitCode: number; readonly stdout: string; readonly stderr: string }
  | { readonly type: 'timed-out'; readonly stderr: string }
  | { readonly type: 'aborted' }
  /** The executable could not be started (ENOENT, EACCES). */
  | { readonly type: 'spawn-failed'; readonly error: Error }
  /** Not run: the coordinator may no longer act (its lease ran out: ha/act-deadline.ts). */
  | { readonly type: 'refused'; readonly reason: string };

export interface IpmitoolInvocation {
  readonly path: string;
  readonly args: readonly string[];
  readonly password: string;
  readonly timeoutMs: number;
}

// Enough for any chassis command's output; a runaway process cannot fill memory.
const MAX_OUTPUT = 64 * 1024;

/** `spawn`: how the process starts (the coordinator's worker passes its process launcher's). */
export function runIpmitool(invocation: IpmitoolInvocation, signal: AbortSignal, spawn: Spawn = spawnDirect): Promise<IpmitoolOutcome> {
  if (signal.aborted) return Promise.resolve({ type: 'aborted' });
  return new Promise((resolve) => {
    const child = spawn(invocation.path, invocation.args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', IPMI_PASSWORD: invocation.password },
      stdin: 'ignore',
    });
    let stdout = '';
    let stderr = '';
    let ended: 'timed-out' | 'aborted' | null = null;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk;
    });
    const kill = (why: 'timed-out' | 'aborted'): void => {
      ended ??= why;
      killProcessGroup(child);
    };
    const timer = setTimeout(() => kill('timed-out'), invocation.timeoutMs);
    timer.unref();
    const onAbort = (): void => kill('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (outcome: IpmitoolOutcome): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    child.once('error', (error) => finish({ type: 'spawn-failed', error }));
    child.once('close', (code) => {
      if (ended === 'aborted') finish({ type: 'aborted' });
      else if (ended === 'timed-out') finish({ type: 'timed-out', stderr });
      else finish({ type: 'exited', exitCode: code ?? -1, stdout, stderr });
    });
  });
}
