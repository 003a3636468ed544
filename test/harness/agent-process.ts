// An agent in its own process (node dist/agent/src/main.js run), for end-to-end and fault tests
// that kill -9 it. Its JSON log lines are kept so tests can wait for what it reports.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { ROOT } from './cli.js';

export const AGENT_MAIN = path.join(ROOT, 'dist', 'agent', 'src', 'main.js');

export interface AgentProcessOptions {
  dataDir: string;
  /** Absent: no --ovsdb-remote flag (the agent's default remote, as an unconfigured host has). */
  ovsdbRemote?: string;
  coordinator?: string;
  caFile?: string;
  /** Enrollment token: passed in the environment, never in argv. */
  token?: string;
  name?: string;
  role?: 'smartnic' | 'vmhost';
  heartbeat?: string;
  reconnectMax?: string;
  applyTimeout?: string;
  /** --coordinator-timeout: bound on enrollment, renewal and a session's welcome (the agent's default 15s). */
  coordinatorTimeout?: string;
  datapathType?: string;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Start it as systemd starts a Type=notify service: with these variables (NOTIFY_SOCKET,
   * WATCHDOG_USEC) and WATCHDOG_PID set to the agent's own pid (a shell that execs node).
   */
  systemd?: Record<string, string>;
}

export class AgentProcess {
  readonly lines: Record<string, unknown>[] = [];
  private waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  stderr = '';

  private constructor(
    readonly child: ChildProcess,
    readonly exited: Promise<number | null>,
  ) {}

  static async start(o: AgentProcessOptions): Promise<AgentProcess> {
    const args = [
      AGENT_MAIN,
      'run',
      '--data-dir',
      o.dataDir,
      ...(o.ovsdbRemote === undefined ? [] : ['--ovsdb-remote', o.ovsdbRemote]),
      '--status-listen',
      '127.0.0.1:0',
      '--log-level',
      'debug',
    ];
    // Several coordinators, comma-separated: the agent's list (it moves to the next when one dies).
    if (o.coordinator) args.push(o.coordinator.includes(',') ? '--coordinators' : '--coordinator', o.coordinator);
    if (o.caFile) args.push('--ca-file', o.caFile);
    if (o.name) args.push('--name', o.name);
    if (o.role) args.push('--role', o.role);
    if (o.heartbeat) args.push('--heartbeat-interval', o.heartbeat);
    if (o.reconnectMax) args.push('--reconnect-max', o.reconnectMax);
    if (o.applyTimeout) args.push('--apply-timeout', o.applyTimeout);
    if (o.coordinatorTimeout) args.push('--coordinator-timeout', o.coordinatorTimeout);
    if (o.datapathType !== undefined) args.push('--datapath-type', o.datapathType);
    args.push(...(o.extraArgs ?? []));
    const env: NodeJS.ProcessEnv = { ...process.env, ...o.env };
    for (const k of Object.keys(env)) if (k.startsWith('MOORING_AGENT_')) delete env[k];
    if (o.token) env.MOORING_AGENT_TOKEN = o.token;
    const child = o.systemd
      ? spawn('/bin/sh', ['-c', 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$0" "$@"', process.execPath, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...env, ...o.systemd },
        })
      : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const agent = new AgentProcess(child, exited);
    child.stderr?.on('data', (c: Buffer) => (agent.stderr += c.toString()));
    createInterface({ input: child.stdout }).on('line', (text) => agent.onLine(text));
    // Generous: a loaded 2-core machine starting many agents at once takes a while.
    const started = agent.waitFor((l) => l.msg === 'agent started', 60_000);
    const failed = exited.then((code) => {
      throw new Error(`agent exited with ${code} before starting: ${agent.stderr}`);
    });
    try {
      await Promise.race([started, failed]);
    } catch (err) {
      child.kill('SIGKILL'); // never leave an agent running that the caller does not know of
      throw err;
    }
    return agent;
  }

  /** The status endpoint's base URL. */
  get statusUrl(): string {
    const line = this.lines.find((l) => l.msg === 'agent started');
    return String(line?.status);
  }

  async status<T = Record<string, unknown>>(pathName = '/status'): Promise<{ code: number; body: T }> {
    const res = await fetch(`${this.statusUrl}${pathName}`, { headers: { accept: 'application/json' } });
    const text = await res.text();
    return { code: res.status, body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T };
  }

  /** Resolves with the first log line (already seen or future) that matches. */
  waitFor(match: (l: Record<string, unknown>) => boolean, timeoutMs: number, what = 'a log line'): Promise<Record<string, unknown>> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr: ${this.stderr}`)),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  private onLine(text: string): void {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      line = { msg: text };
    }
    this.lines.push(line);
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.match(line)) w.resolve(line);
      else still.push(w);
    }
    this.waiters = still;
  }
}
