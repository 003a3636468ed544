// What really went out of a smartNIC port: tcpdump on one of its interfaces (a machine's tap, say)
// inside the smartNIC's namespace, one line per frame (-l -n -e: line-buffered, numeric, with MACs).
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { NetdevSmartNic } from './ovs-netdev-smartnic.js';

export class PortCapture {
  readonly lines: string[] = [];
  private readonly events = new EventEmitter();
  private stderr = '';

  private constructor(
    readonly iface: string,
    private readonly child: ChildProcess,
  ) {}

  /** Starts capturing frames on `iface` that match the pcap `filter`; resolves once tcpdump listens. */
  static async start(smartNic: NetdevSmartNic, iface: string, filter: string): Promise<PortCapture> {
    const child = spawn('ip', ['netns', 'exec', smartNic.netns, 'tcpdump', '-l', '-n', '-e', '-i', iface, filter], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const capture = new PortCapture(iface, child);
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        capture.lines.push(line);
        capture.events.emit('line', line);
      }
    });
    // tcpdump says "listening on IFACE" on stderr once its socket is open.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        capture.stderr += chunk.toString();
        if (capture.stderr.includes('listening on')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`tcpdump on ${iface} exited with ${code}: ${capture.stderr.trim()}`)));
    });
    return capture;
  }

  /** Resolves with the first captured line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const seen = this.lines.find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('line', listener);
        reject(new Error(`no frame matching ${String(pattern)} on ${this.iface} within ${timeoutMs} ms (saw ${this.lines.length})`));
      }, timeoutMs);
      const listener = (line: string): void => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        this.events.off('line', listener);
        resolve(line);
      };
      this.events.on('line', listener);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}
