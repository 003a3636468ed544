// One long-lived RMCP+ session with one BMC: `ipmitool <session args> exec /dev/stdin`, fed one
// command at a time, so a deploy's chassis commands share one session setup instead of starting
// an ipmitool (and a session) each.
//
// Why `exec` and not `shell`: ipmitool 1.8.19's shell polls for input through readline's event
// hook and sends a lanplus keepalive to the BMC every few tens of milliseconds while idle, and at
// end of input it spins on select() forever instead of exiting; `exec` reads with fgets, sends
// nothing while idle and exits at end of input (so an ipmitool whose coordinator died exits too).
// `exec` opens its file by name, and Node's stdin pipe is a socket that /dev/stdin cannot open
// (ENXIO): `cat` turns it into a real pipe. ipmitool's stdout is a pipe and so block-buffered:
// `stdbuf -oL` makes it line-buffered, or no reply would arrive before the buffer filled. So a
// session is three processes (sh, cat, ipmitool under stdbuf) in one process group, started once.
//
// The password travels in the environment only (IPMI_PASSWORD, read by -E), as for a one-shot run.
// A command that times out, is aborted or outruns the output bound kills the whole group; so does
// the session ending (idle time, close()). A session is never reused after a failed command.
//
// Keep-alive: a session idle for idleMs first sends a power status read (a command the session
// already runs, so it needs no other privilege) up to `keepAlives` times, one per idleMs, and only
// then ends. A BMC ends an RMCP+ session after its inactivity timeout (IPMI v2.0 section 6.12.15: 60 s
// unless configured); the read resets it. So a deploy whose wait for the smartNIC agents outlasts
// idleMs keeps its one session instead of paying a second setup (and a second fork of the
// coordinator), and an unused session still ends after idleMs x (keepAlives + 1). A keep-alive is
// a BMC call like any other: it is sent only while `mayAct` says the coordinator may still act (its
// lease: ha/act-deadline.ts); otherwise the session ends without it.
import type { IpmitoolOutcome } from './ipmitool-process.js';
import { killProcessGroup, spawnDirect, type Spawn, type SpawnedProcess } from './process-launcher.js';
import { commandErrors, EXIT_MARK, sentinelFor, SessionTranscript } from './session-transcript.js';

/** Where and as whom: everything but the command. */
export interface SessionInvocation {
  readonly path: string;
  /** ipmitool's session arguments (sessionArgs()), without a command. */
  readonly args: readonly string[];
  readonly password: string;
}

export type SessionOutcome =
  | IpmitoolOutcome
  /**
   * The session ended under a command: the process died, or ipmitool ended its input. Whether the
   * command reached the BMC is unknown, unless the session had not come up yet.
   */
  | { readonly type: 'session-lost'; readonly problem: string; readonly stderr: string; readonly commandMayHaveRun: boolean };

export interface SessionOptions {
  /** After this long without a command the session sends a keep-alive, or ends when it has sent them all. */
  readonly idleMs: number;
  /** Keep-alive reads an idle session sends (one per idleMs) before it ends; a command starts the count again. */
  readonly keepAlives: number;
  /** Called once when the session has ended, for whatever reason. */
  readonly onEnded: (session: IpmitoolSession) => void;
  /** Whether the coordinator may still call the BMC (ha/act-deadline.ts); asked before each keep-alive. */
  readonly mayAct: () => boolean;
  /** How the session's processes start (the coordinator's worker passes its process launcher's); by default, from this process. */
  readonly spawn?: Spawn;
}

// sh's arguments: $0 is ipmitool's path, "$@" its arguments. sh waits for cat too, and cat only
// notices a dead ipmitool at its next write: so once ipmitool has exited (for whatever reason),
// its status goes to stdout and the whole group is killed, which ends the session at once.
const PIPELINE = `cat | { stdbuf -oL "$0" "$@"; echo "${EXIT_MARK} $?"; kill -KILL 0; }`;
// A runaway command's output cannot fill memory.
const MAX_OUTPUT = 64 * 1024;
// After ending the input, how long ipmitool gets to close the session with the BMC before SIGKILL.
const EXIT_GRACE_MS = 5_000;
// The keep-alive: a read every BMC answers on a session that runs chassis commands.
const KEEP_ALIVE = 'chassis power status';

interface Pending {
  readonly sentinel: string;
  /** A command's outcome; for the setup reply, true once the session is up. */
  readonly resolve: (outcome: SessionOutcome | true) => void;
  /** The session's own commands: `set verbose 0` (the reply says the session is up), or a keep-alive. */
  readonly own: 'setup' | 'keep-alive' | null;
}

type State =
  | { readonly type: 'starting'; readonly pending: Pending }
  | { readonly type: 'idle'; readonly timer: NodeJS.Timeout }
  | { readonly type: 'busy'; readonly pending: Pending }
  | { readonly type: 'ended'; readonly why: string };

export class IpmitoolSession {
  private state: State;
  private readonly transcript = new SessionTranscript();
  private stderr = '';
  private commands = 0;
  /** Keep-alives left before an idle session ends. */
  private keepAlivesLeft: number;
  /** While a keep-alive is out: resolves once it is answered (or the session ended). */
  private keepingAlive: Promise<void> | null = null;
  /** Resolves once the session is up (true) or ended before it came up (the outcome to report). */
  private readonly ready: Promise<SessionOutcome | true>;

  private constructor(
    private readonly child: SpawnedProcess,
    private readonly options: SessionOptions,
  ) {
    let settle!: (outcome: SessionOutcome | true) => void;
    this.ready = new Promise<SessionOutcome | true>((resolve) => (settle = resolve));
    this.keepAlivesLeft = options.keepAlives;
    const pending: Pending = { sentinel: sentinelFor(0), resolve: settle, own: 'setup' };
    this.state = { type: 'starting', pending };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.stderr.length < MAX_OUTPUT) this.stderr += chunk;
    });
    // A write to a session that just died: the exit handler reports it.
    child.stdin.on('error', () => undefined);
    child.once('error', (error) => this.end(`could not start ipmitool: ${error.message}`, { type: 'spawn-failed', error }));
    child.once('close', (code, signal) => this.onExit(code, signal));
    // ipmitool answers this once the session is up (it sets up the session before reading input).
    child.stdin.write(`set verbose 0\necho ${pending.sentinel}\n`);
  }

  /** Starts ipmitool; the session is set up by the time the first command's reply comes. */
  static start(invocation: SessionInvocation, options: SessionOptions): IpmitoolSession {
    const spawn = options.spawn ?? spawnDirect;
    const child = spawn('sh', ['-c', PIPELINE, invocation.path, ...invocation.args, 'exec', '/dev/stdin'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', IPMI_PASSWORD: invocation.password },
      stdin: 'pipe',
    });
    return new IpmitoolSession(child, options);
  }

  get ended(): boolean {
    return this.state.type === 'ended';
  }

  /** Runs one command; a session runs one at a time (the pool queues the rest). */
  async run(command: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<SessionOutcome> {
    if (signal.aborted) return { type: 'aborted' };
    const timer = setTimeout(
      () => this.end(`ipmitool did not finish within ${timeoutMs} ms`, { type: 'timed-out', stderr: this.stderr }),
      timeoutMs,
    );
    timer.unref();
    const onAbort = (): void => this.end('the caller aborted', { type: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const up = await this.ready;
      if (up !== true) return up;
      // A keep-alive in flight: the command follows its answer.
      while (this.keepingAlive) await this.keepingAlive;
      if (this.state.type !== 'idle') {
        // The pool runs one command at a time on a live session: only an ended one lands here.
        const problem = `the ipmitool session is ${this.state.type}, not idle`;
        return { type: 'session-lost', problem, stderr: '', commandMayHaveRun: false };
      }
      clearTimeout(this.state.timer);
      this.stderr = '';
      this.keepAlivesLeft = this.options.keepAlives;
      const sentinel = sentinelFor(++this.commands);
      return await new Promise<SessionOutcome>((resolve) => {
        // Only the setup reply resolves true.
        this.state = { type: 'busy', pending: { sentinel, resolve: (o) => o !== true && resolve(o), own: null } };
        this.child.stdin.write(`${command.join(' ')}\necho ${sentinel}\n`);
      });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Ends the session: ipmitool's input ends (it closes the session with the BMC), SIGKILL after a grace period. */
  close(why = 'closed'): void {
    this.end(why, { type: 'aborted' });
  }

  private onStdout(chunk: string): void {
    this.transcript.push(chunk);
    const state = this.state;
    if (state.type !== 'starting' && state.type !== 'busy') return;
    const reply = this.transcript.take(state.pending.sentinel);
    if (reply === null) {
      if (this.transcript.pendingLength > MAX_OUTPUT) {
        const problem = `ipmitool printed more than ${MAX_OUTPUT} bytes for one command`;
        this.end(problem, { type: 'session-lost', problem, stderr: '', commandMayHaveRun: true });
      }
      return;
    }
    // ipmitool wrote the command's stderr before it read the sentinel's line: what of it is in the
    // stderr pipe arrives in this same poll of the event loop, before setImmediate runs.
    setImmediate(() => this.replied(state.pending, reply));
  }

  private replied(pending: Pending, stdout: string): void {
    if (this.state.type === 'ended') return;
    const stderr = this.stderr;
    this.stderr = '';
    if (pending.own === 'setup') {
      // What came before is session setup chatter (-v); the session is up.
      this.state = { type: 'idle', timer: this.idleTimer() };
      pending.resolve(true);
      return;
    }
    const errors = commandErrors(stderr);
    if (pending.own === 'keep-alive') {
      if (errors !== '') {
        const problem = `the keep-alive read failed: ${errors.trim()}`;
        this.end(problem, { type: 'session-lost', problem, stderr: errors, commandMayHaveRun: false });
        return;
      }
      this.state = { type: 'idle', timer: this.idleTimer() };
      pending.resolve(true);
      return;
    }
    if (errors !== '') {
      // The BMC may have dropped the session (no answer): never reuse one after a failure.
      this.end('a command failed', { type: 'exited', exitCode: 1, stdout, stderr: errors });
      return;
    }
    this.state = { type: 'idle', timer: this.idleTimer() };
    pending.resolve({ type: 'exited', exitCode: 0, stdout, stderr: '' });
  }

  private idleTimer(): NodeJS.Timeout {
    const timer = setTimeout(() => this.onIdle(), this.options.idleMs);
    timer.unref();
    return timer;
  }

  /** Idle for idleMs: a keep-alive while any are left, else the end. */
  private onIdle(): void {
    if (this.state.type !== 'idle') return;
    if (!this.options.mayAct()) {
      this.close('the coordinator may no longer act (its lease ran out): no keep-alive');
      return;
    }
    if (this.keepAlivesLeft <= 0) {
      this.close(`idle for ${this.options.idleMs * (this.options.keepAlives + 1)} ms`);
      return;
    }
    this.keepAlivesLeft--;
    const sentinel = sentinelFor(++this.commands);
    // Answered within idleMs, or the session ends (a command waiting for it then gets a fresh one).
    const bound = setTimeout(() => {
      const problem = `the keep-alive read got no answer within ${this.options.idleMs} ms`;
      this.end(problem, { type: 'session-lost', problem, stderr: this.stderr, commandMayHaveRun: false });
    }, this.options.idleMs);
    bound.unref();
    this.keepingAlive = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(bound);
        this.keepingAlive = null;
        resolve();
      };
      this.state = { type: 'busy', pending: { sentinel, resolve: done, own: 'keep-alive' } };
    });
    this.stderr = '';
    this.child.stdin.write(`${KEEP_ALIVE}\necho ${sentinel}\n`);
  }

  private onExit(shCode: number | null, shSignal: NodeJS.Signals | null): void {
    // ipmitool's own status, as the pipeline printed it (sh itself ends by SIGKILL).
    const status = this.transcript.exitStatus();
    const code = status === null ? shCode : status < 128 ? status : null;
    const how =
      status === null ? `ended (${shSignal ?? shCode})` : status < 128 ? `exited with ${status}` : `was killed (signal ${status - 128})`;
    const state = this.state;
    if (state.type === 'starting') {
      // sh: 127 not found, 126 not executable (stdbuf says so for the ipmitool path).
      if (code === 127 || code === 126) {
        this.end(how, { type: 'spawn-failed', error: new Error(this.stderr.trim() || `ipmitool could not be started (${how})`) });
        return;
      }
      // Session setup failed: ipmitool exits 1 with the reason (-v) on stderr, as a one-shot run does.
      if (code !== null && code !== 0) {
        this.end(how, { type: 'exited', exitCode: code, stdout: '', stderr: this.stderr });
        return;
      }
      this.end(how, {
        type: 'session-lost',
        problem: `ipmitool ${how} before its session was up`,
        stderr: this.stderr,
        commandMayHaveRun: false,
      });
      return;
    }
    this.end(how, { type: 'session-lost', problem: `ipmitool ${how} during the command`, stderr: this.stderr, commandMayHaveRun: true });
  }

  /** The one way out: reports `outcome` to a waiting command, ends the input, kills the group. */
  private end(why: string, outcome: SessionOutcome): void {
    const state = this.state;
    if (state.type === 'ended') return;
    this.state = { type: 'ended', why };
    if (state.type === 'idle') clearTimeout(state.timer);
    if (state.type === 'starting' || state.type === 'busy') state.pending.resolve(outcome);
    const exited = this.child.exitCode !== null || this.child.signalCode !== null;
    if (!exited) {
      if (outcome.type === 'aborted' && state.type === 'idle') {
        // A clean end: ipmitool reads end of input, closes the session with the BMC and exits.
        this.child.stdin.end();
        const kill = setTimeout(() => this.kill(), EXIT_GRACE_MS);
        kill.unref();
        this.child.once('close', () => clearTimeout(kill));
      } else {
        this.kill();
      }
    }
    this.options.onEnded(this);
  }

  private kill(): void {
    killProcessGroup(this.child);
  }
}
