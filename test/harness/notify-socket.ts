// The listening end of systemd's NOTIFY_SOCKET for tests: a unix datagram socket bound by a
// /usr/bin/python3 child (Node has no unix datagram sockets), which prints every datagram it
// receives as one JSON line together with the sender's pid (SCM_CREDENTIALS, as systemd reads it).
// Tests hand `address` to a daemon as NOTIFY_SOCKET and wait for the messages it sends.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const RECEIVER = `
import json, socket, struct, sys
address = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind('\\0' + address[1:] if address.startswith('@') else address)
print(json.dumps({"listening": address}), flush=True)
while True:
    data, anc, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(12))
    pid = None
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack("iII", payload[:12])[0]
    print(json.dumps({"pid": pid, "data": data.decode("utf-8", "replace")}), flush=True)
`;

export interface NotifyMessage {
  /** The sending process, from its credentials. */
  pid: number | null;
  /** KEY=VALUE assignments in the order sent. */
  fields: Record<string, string>;
  /** The raw datagram. */
  raw: string;
}

export class NotifySocket {
  readonly messages: NotifyMessage[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  private stderr = '';

  private constructor(
    readonly address: string,
    private readonly child: ChildProcess,
  ) {}

  /** Binds `address` (a path, or "@name" in the abstract namespace) and resolves once it listens. */
  static async listen(address: string): Promise<NotifySocket> {
    const child = spawn('/usr/bin/python3', ['-c', RECEIVER, address], { stdio: ['ignore', 'pipe', 'pipe'] });
    const socket = new NotifySocket(address, child);
    child.stderr?.on('data', (c: Buffer) => (socket.stderr += c.toString()));
    const listening = new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the NOTIFY_SOCKET receiver exited with ${code}: ${socket.stderr}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const parsed = JSON.parse(line) as { listening?: string; pid?: number | null; data?: string };
        if (parsed.listening) resolve();
        else socket.onMessage(parsed.pid ?? null, parsed.data ?? '');
      });
    });
    try {
      await listening;
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    return socket;
  }

  /** Environment variables a service manager would set for a Type=notify service with this watchdog. */
  env(watchdogUsec?: number): Record<string, string> {
    return { NOTIFY_SOCKET: this.address, ...(watchdogUsec ? { WATCHDOG_USEC: String(watchdogUsec) } : {}) };
  }

  /** Resolves with the first message (already received or future) that matches. */
  async waitFor(match: (m: NotifyMessage) => boolean, timeoutMs: number, what: string): Promise<NotifyMessage> {
    await this.until(() => this.messages.some(match), timeoutMs, what);
    return this.messages.find(match)!;
  }

  /** Resolves once `count` messages from index `from` on match; returns them. */
  async waitForCount(
    from: number,
    count: number,
    match: (m: NotifyMessage) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<NotifyMessage[]> {
    const found = (): NotifyMessage[] => this.messages.slice(from).filter(match);
    await this.until(() => found().length >= count, timeoutMs, what);
    return found();
  }

  private until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.check !== check);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(this.messages.map((m) => m.raw))}`),
        );
      }, timeoutMs);
      this.waiters.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.child.kill('SIGKILL');
  }

  private onMessage(pid: number | null, raw: string): void {
    const fields: Record<string, string> = {};
    for (const line of raw.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
    }
    const message: NotifyMessage = { pid, fields, raw };
    this.messages.push(message);
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.check()) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
