// systemd's readiness protocol (sd_notify(3)) for both daemons, without native addons.
//
// The protocol is one AF_UNIX datagram per message to $NOTIFY_SOCKET ("@name" = the abstract
// namespace), newline-separated KEY=VALUE assignments. Node's core has no unix datagram sockets,
// so one long-lived notifier child (perl-base, which is Essential on Debian, using its Socket
// module) reads one message per line on stdin and sends each as a datagram. The child lives as
// long as the daemon: systemd attributes a datagram to a unit by the sender's pid and cgroup, and a
// short-lived sender (systemd-notify) can exit before systemd 252 reads its message, which is then
// dropped. Because the sender is a child and not the main pid, the units say NotifyAccess=all.
//
// Without NOTIFY_SOCKET (not started by systemd as Type=notify) nothing is spawned or sent.
// NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID are removed from the environment once read, as
// sd_notify's unset_environment does, so the daemon's own children (ovs-vsctl, ipmitool) never
// notify on its behalf.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';

export type NotifyFields = Readonly<Record<string, string>>;

export interface NotifySettings {
  /** $NOTIFY_SOCKET as given: an absolute path or "@" + an abstract socket name. */
  socket: string;
  /** Half of $WATCHDOG_USEC in ms (sd_watchdog_enabled(3) advises pinging at half the limit), or null. */
  watchdogIntervalMs: number | null;
  /** $WATCHDOG_USEC itself, or null when the watchdog is off or meant for another pid. */
  watchdogUsec: number | null;
}

const NOTIFY_VARIABLES = ['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID'] as const;

// One line on stdin is one datagram; \x1f stands for the newlines between assignments.
const SENDER_SCRIPT = [
  'use strict; use warnings; use Socket qw(AF_UNIX SOCK_DGRAM pack_sockaddr_un);',
  '$| = 1; my $path = $ENV{NOTIFY_SOCKET}; $path =~ s/^\\@/\\0/;',
  'socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\\n";',
  'my $to = pack_sockaddr_un($path);',
  'while (my $line = <STDIN>) { chomp $line; $line =~ tr/\\x1f/\\n/; defined(send($s, $line, 0, $to)) or warn "send to ' +
    '$ENV{NOTIFY_SOCKET}: $!\\n"; }',
].join('\n');

/**
 * Reads the notification settings from an environment (pure). null when there is no usable
 * NOTIFY_SOCKET. The watchdog counts only when WATCHDOG_PID is unset or names this process.
 */
export function notifySettings(env: Readonly<Record<string, string | undefined>>, pid = process.pid): NotifySettings | null {
  const socket = env['NOTIFY_SOCKET'] ?? '';
  if (!(socket.startsWith('/') || (socket.startsWith('@') && socket.length > 1))) return null;
  const usec = Number(env['WATCHDOG_USEC'] ?? '');
  const forUs = env['WATCHDOG_PID'] === undefined || env['WATCHDOG_PID'] === '' || Number(env['WATCHDOG_PID']) === pid;
  const watchdogUsec = Number.isSafeInteger(usec) && usec > 0 && forUs ? usec : null;
  return { socket, watchdogUsec, watchdogIntervalMs: watchdogUsec === null ? null : Math.max(1, Math.floor(watchdogUsec / 2000)) };
}

/** One message as the line the sender reads: assignments joined by \x1f, control characters dropped from values. */
export function encodeMessage(fields: NotifyFields): string {
  const parts = Object.entries(fields).map(([key, value]) => {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) throw new Error(`sd_notify: ${key} is not a notification variable name`);
    return `${key}=${[...value].map((c) => (c.charCodeAt(0) < 0x20 || c === '\x7f' ? ' ' : c)).join('')}`;
  });
  return `${parts.join('\x1f')}\n`;
}

export class SystemdNotifier {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private watchdogTimer: NodeJS.Timeout | undefined;
  private readySent = false;

  private constructor(
    readonly settings: NotifySettings | null,
    private readonly log: Logger,
  ) {}

  /** From the daemon's environment (removing the notification variables from it); disabled without NOTIFY_SOCKET. */
  static fromEnvironment(env: Record<string, string | undefined>, log: Logger): SystemdNotifier {
    const settings = notifySettings(env);
    for (const name of NOTIFY_VARIABLES) delete env[name];
    const notifier = new SystemdNotifier(settings, log);
    if (settings) notifier.spawnSender(settings.socket);
    return notifier;
  }

  get enabled(): boolean {
    return this.child !== undefined;
  }

  /** READY=1 (once) with a STATUS line. */
  ready(status: string): void {
    if (this.readySent) return this.status(status);
    this.readySent = true;
    this.send({ READY: '1', STATUS: status });
  }

  status(text: string): void {
    this.send({ STATUS: text });
  }

  /**
   * Pings WATCHDOG=1 every half WATCHDOG_USEC from the event loop: a blocked loop misses pings
   * and systemd restarts the daemon. Until READY=1, each ping also extends the start timeout
   * by WATCHDOG_USEC, so a daemon waiting on a peer stays starting while its loop runs, and a
   * hung one still fails its start.
   */
  startWatchdog(): void {
    const s = this.settings;
    if (!s?.watchdogIntervalMs || !s.watchdogUsec || this.watchdogTimer) return;
    const usec = String(s.watchdogUsec);
    const ping = (): void => this.send(this.readySent ? { WATCHDOG: '1' } : { WATCHDOG: '1', EXTEND_TIMEOUT_USEC: usec });
    ping();
    this.watchdogTimer = setInterval(ping, s.watchdogIntervalMs);
    this.watchdogTimer.unref();
  }

  /** STOPPING=1 and the end of watchdog pings: the daemon is shutting down. */
  stopping(status = 'stopping'): void {
    this.stopWatchdog();
    this.send({ STOPPING: '1', STATUS: status });
  }

  /** Sends what is queued and ends the sender (bounded: 5 s, then it is killed). */
  async close(): Promise<void> {
    this.stopWatchdog();
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.ref(); // wait for the sender to pass on what is queued before the daemon exits
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    timer.unref();
    await this.exited;
    clearTimeout(timer);
  }

  send(fields: NotifyFields): void {
    const stdin = this.child?.stdin;
    if (!stdin?.writable) return;
    stdin.write(encodeMessage(fields));
    if (!('WATCHDOG' in fields)) this.log.debug({ notify: fields }, 'systemd notification');
  }

  private stopWatchdog(): void {
    clearInterval(this.watchdogTimer);
    this.watchdogTimer = undefined;
  }

  private spawnSender(socket: string): void {
    const child = spawn('perl', ['-e', SENDER_SCRIPT], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NOTIFY_SOCKET: socket },
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    child.once('error', (err) => {
      this.log.warn({ err: err.message, socket }, 'cannot start the systemd notification sender; systemd will not hear from this daemon');
      if (this.child === child) this.child = undefined;
    });
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.log.warn({ code, signal, socket }, 'the systemd notification sender exited');
    });
    child.stdin?.on('error', () => undefined); // a dead sender is reported by 'exit'
    if (child.stderr)
      createInterface({ input: child.stderr }).on('line', (line) => this.log.warn({ socket }, `systemd notification sender: ${line}`));
    // The sender must never keep the daemon alive on its own.
    child.unref();
    for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
}
