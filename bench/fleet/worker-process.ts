// run.ts's handle on one agent worker process: fork() with an IPC channel, requests correlated
// through one pending map keyed by id (each with its own timeout), notices handed to a listener,
// and every pending request rejected when the process exits.

import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Method, Params, Result, WorkerMessage, WorkerNotice, WorkerRequest } from './worker-protocol.js';

const WORKER_MAIN = join(dirname(fileURLToPath(import.meta.url)), 'agent-worker.js');

export class WorkerExitedError extends Error {
  override name = 'WorkerExitedError';
  constructor(
    readonly worker: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(`agent worker ${worker} exited (code ${code}, signal ${signal})`);
  }
}

export class WorkerTimeoutError extends Error {
  override name = 'WorkerTimeoutError';
  constructor(
    readonly worker: string,
    readonly method: Method,
    readonly timeoutMs: number,
  ) {
    super(`agent worker ${worker}: ${method} took longer than ${timeoutMs} ms`);
  }
}

interface Pending {
  method: Method;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface WorkerOptions {
  name: string;
  address: string;
  caFile: string;
  keyPool: number;
  reportAcks: boolean;
  onNotice: (worker: string, notice: WorkerNotice) => void;
}

export class WorkerProcess {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exitCause: WorkerExitedError | undefined;
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    onNotice: WorkerOptions['onNotice'],
  ) {
    child.on('message', (m: WorkerMessage) => {
      if (m.kind !== 'reply') return onNotice(name, m);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`agent worker ${name}: ${p.method} failed: ${m.error}`));
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCause = new WorkerExitedError(name, code, signal);
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(this.exitCause);
        }
        this.pending.clear();
        resolve();
      });
    });
  }

  static async start(options: WorkerOptions): Promise<WorkerProcess> {
    const args = ['--address', options.address, '--ca-file', options.caFile, '--key-pool', String(options.keyPool)];
    if (options.reportAcks) args.push('--report-acks');
    // stdout is left unread (nothing is written there); stderr is shared so a crash is visible.
    // The advanced serialization carries the Float64Array of round-trip times as it is.
    // --no-deprecation: grpc-js sets the TLS servername to the target's IP address (DEP0123), once
    // per process; the agent does the same, and the warning would only clutter the progress lines.
    const child = fork(WORKER_MAIN, args, {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
      execArgv: ['--no-deprecation'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return new WorkerProcess(options.name, child, options.onNotice);
  }

  get pid(): number {
    return this.child.pid!;
  }

  request<M extends Method>(method: M, params: Params<M>, timeoutMs: number): Promise<Result<M>> {
    if (this.exitCause) return Promise.reject(this.exitCause);
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new WorkerTimeoutError(this.name, method, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
      const request = { id, method, params } as WorkerRequest;
      this.child.send(request, (err) => {
        if (!err) return;
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        clearTimeout(p.timer);
        reject(err);
      });
    });
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.exitCause) this.child.kill(signal);
  }

  /** Asks the worker to close its sessions and exit; SIGKILL if it does not within graceMs. */
  async stop(graceMs: number): Promise<void> {
    if (this.exitCause) return;
    try {
      await this.request('close', {}, graceMs);
    } catch {
      // it is killed below either way
    }
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL (works on a SIGSTOPped process too) and wait for the exit. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }
}
