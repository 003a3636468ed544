// The coordinator's side of the process launcher (process-launcher-main.ts): spawn() returns a
// child whose pipes the coordinator holds and reads itself, started by the launcher so the
// coordinator's own memory is never forked. The launcher is forked on first use and again after it
// died; while it is down, its children's exits cannot be reported, so they are killed (their
// process groups) and end as killed. `spawnDirect` starts a child from the calling process, for
// callers that do not keep a launcher.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export type LauncherRequest = {
  type: 'spawn';
  id: number;
  file: string;
  args: string[];
  env: Record<string, string>;
  stdin: 'pipe' | 'ignore';
};

export type LauncherReply =
  | { type: 'pipe'; id: number; pid: number; fd: 0 | 1 | 2 }
  | { type: 'failed'; id: number; message: string; code: string | undefined }
  | { type: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null };

export interface SpawnOptions {
  readonly env: Record<string, string>;
  /** 'ignore': the program reads /dev/null. */
  readonly stdin: 'pipe' | 'ignore';
}

/** What the ipmitool runs use of a child: ChildProcess's shape, in its own process group. */
export interface SpawnedProcess {
  readonly pid: number | undefined;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  /** For stdin 'ignore', a stream nothing reads. */
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  once(event: 'error', listener: (error: Error) => void): this;
  once(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
}

export type Spawn = (file: string, args: readonly string[], options: SpawnOptions) => SpawnedProcess;

/** SIGKILL to the child's whole process group (it leads one), however it was started. */
export function killProcessGroup(child: SpawnedProcess): void {
  if (child instanceof LaunchedProcess) child.kill();
  else if (child.pid !== undefined) signalGroup(child.pid);
}

function signalGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Starts the child from this process (a fork of it): each child leads its own process group. */
export const spawnDirect: Spawn = (file, args, options) =>
  spawn(file, args, { env: options.env, stdio: [options.stdin, 'pipe', 'pipe'], detached: true }) as unknown as SpawnedProcess;

class LaunchedProcess extends EventEmitter implements SpawnedProcess {
  pid: number | undefined = undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  // What the caller holds from the start: writes wait here until the child's stdin arrives, and
  // the child's output flows through once its pipes do.
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private readonly pipes: (Socket | undefined)[] = [undefined, undefined, undefined];
  private exited = false;
  private outputsOpen = 2;
  private failed = false;
  private killed = false;

  constructor(
    /** The launcher that starts it: its exit ends this child. */
    readonly launcher: ChildProcess,
    private readonly stdinMode: 'pipe' | 'ignore',
  ) {
    super();
  }

  /** One of the child's pipes arrived; with all three, the gate opens (unless it was killed meanwhile). */
  pipe(fd: 0 | 1 | 2, socket: Socket, pid: number): void {
    this.pid = pid;
    this.pipes[fd] = socket;
    if (this.killed) signalGroup(pid);
    if (this.pipes.includes(undefined)) return;
    const [stdin, stdout, stderr] = this.pipes as [Socket, Socket, Socket];
    for (const [from, to] of [
      [stdout, this.stdout],
      [stderr, this.stderr],
    ] as const) {
      from.on('error', () => undefined);
      // After the last of the output has been read (callers read both streams to the end).
      to.once('end', () => {
        this.outputsOpen--;
        this.maybeClose();
      });
      from.pipe(to);
    }
    stdin.on('error', (error) => this.stdin.emit('error', error));
    if (this.killed) return;
    stdin.write('\n');
    if (this.stdinMode === 'ignore') stdin.end();
    else this.stdin.pipe(stdin);
  }

  fail(error: Error): void {
    if (this.failed || this.exited) return;
    this.failed = true;
    this.emit('error', error);
  }

  exit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    this.exitCode = code;
    this.signalCode = signal;
    if (this.pipes[1] === undefined || this.pipes[2] === undefined) {
      // The pipes never came (the launcher died first): nothing more will be read.
      this.outputsOpen = 0;
      this.stdout.end();
      this.stderr.end();
    }
    this.maybeClose();
  }

  /** SIGKILL to the child's process group; before its pid is known, as soon as it is (the gate then stays shut). */
  kill(): void {
    this.killed = true;
    if (this.pid !== undefined) signalGroup(this.pid);
  }

  /** The launcher died under the child: killed, and closed once its pipes are (its exit will not be told). */
  lost(): void {
    this.kill();
    this.exit(null, 'SIGKILL');
  }

  private maybeClose(): void {
    if (this.exited && this.outputsOpen === 0) this.emit('close', this.exitCode, this.signalCode);
  }
}

/**
 * The launcher process, forked on the first spawn() and again after it died. It does not keep the
 * calling thread alive while no child is starting or running.
 */
export class ProcessLauncher {
  private launcher: ChildProcess | null = null;
  private nextId = 1;
  private readonly children = new Map<number, LaunchedProcess>();
  /** Launchers forked so far (tests; each is one fork of the calling process). */
  started = 0;

  constructor(private readonly main: URL = new URL('./process-launcher-main.js', import.meta.url)) {}

  readonly spawn: Spawn = (file, args, options) => {
    const launcher = this.running();
    const child = new LaunchedProcess(launcher, options.stdin);
    const id = this.nextId++;
    this.children.set(id, child);
    child.once('close', () => this.forget(id));
    child.once('error', () => this.forget(id));
    launcher.ref();
    channelOf(launcher)?.ref?.();
    const request: LauncherRequest = { type: 'spawn', id, file, args: [...args], env: options.env, stdin: options.stdin };
    launcher.send(request, (error) => {
      if (error) child.fail(new Error(`the process launcher did not take the request: ${error.message}`));
    });
    return child;
  };

  /** The launcher's pid while it runs (tests). */
  get pid(): number | undefined {
    return this.launcher?.pid;
  }

  /** Lets the launcher go: it exits, and the children it started run on unwatched (their 'close' never comes). */
  close(): void {
    const launcher = this.launcher;
    this.launcher = null;
    if (!launcher) return;
    launcher.removeAllListeners('exit');
    for (const [id, child] of this.children) if (child.launcher === launcher) this.children.delete(id);
    if (launcher.connected) launcher.disconnect();
  }

  private running(): ChildProcess {
    if (this.launcher?.connected) return this.launcher;
    this.started++;
    const launcher = fork(fileURLToPath(this.main), [], {
      // Its own small heap; none of the coordinator's flags (a profiler's, a heap size).
      execArgv: ['--max-old-space-size=64', '--max-semi-space-size=1'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    launcher.on('message', (reply: LauncherReply, handle?: Socket) => this.onReply(reply, handle));
    launcher.on('error', () => undefined);
    launcher.once('exit', (code, signal) => this.onExit(launcher, code, signal));
    this.launcher = launcher;
    return launcher;
  }

  private onReply(reply: LauncherReply, handle: Socket | undefined): void {
    const child = this.children.get(reply.id);
    if (!child) {
      handle?.destroy();
      return;
    }
    if (reply.type === 'pipe') {
      if (handle) child.pipe(reply.fd, handle, reply.pid);
    } else if (reply.type === 'failed') {
      child.fail(Object.assign(new Error(reply.message), { code: reply.code }));
    } else {
      child.exit(reply.code, reply.signal);
    }
  }

  /** The launcher is gone: what it was starting fails, what it started is killed (its exit would not be told). */
  private onExit(launcher: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.launcher === launcher) this.launcher = null;
    const why = `the process launcher exited (${signal ?? code})`;
    for (const child of [...this.children.values()]) {
      if (child.launcher !== launcher) continue;
      if (child.pid === undefined) child.fail(new Error(why));
      else child.lost();
    }
  }

  private forget(id: number): void {
    this.children.delete(id);
    if (this.children.size > 0 || !this.launcher) return;
    this.launcher.unref();
    // The channel too, or it keeps the thread alive.
    channelOf(this.launcher)?.unref?.();
  }
}

function channelOf(child: ChildProcess): { ref?: () => void; unref?: () => void } | undefined {
  return child.channel as { ref?: () => void; unref?: () => void } | undefined;
}
