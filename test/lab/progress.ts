// How the lab shows its story: on a terminal a spinner (ora, as `moorctl machine deploy --watch`
// does) on the running step with the step's output printed above it; otherwise plain lines, one
// header and one result line per step, so a log file or a test reads the same story.
import ora, { type Ora } from 'ora';

export interface Progress {
  /** A step begins: `[index/total] title`. */
  begin(index: number, total: number, title: string): void;
  /**
   * A line of the running step's output (a command line, what it printed, a finding); dropped when no step runs (a step abandoned
   * on a signal).
   */
  line(text: string): void;
  /** The running step ended, well or with the reason it failed. */
  end(result: { ok: true } | { ok: false; reason: string }): void;
  /** Free text outside any step (the banner, how to reach the lab). */
  say(text: string): void;
}

const elapsed = (startedMs: number): string => `${((Date.now() - startedMs) / 1000).toFixed(1)}s`;

interface Running {
  readonly label: string;
  readonly startedMs: number;
}

export function createProgress(stream: NodeJS.WriteStream = process.stdout): Progress {
  // A terminal that reports no width (a pty nobody sized) cannot host a spinner: ora's clearing
  // divides by the width.
  return stream.isTTY === true && (stream.columns ?? 0) > 0 ? new SpinnerProgress(stream) : new PlainProgress(stream);
}

class PlainProgress implements Progress {
  private running: Running | undefined;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  begin(index: number, total: number, title: string): void {
    this.running = { label: `[${index}/${total}] ${title}`, startedMs: Date.now() };
    this.stream.write(`\n== ${this.running.label}\n`);
  }

  line(text: string): void {
    if (this.running) this.stream.write(indent(text));
  }

  end(result: { ok: true } | { ok: false; reason: string }): void {
    const r = this.running;
    if (!r) return;
    this.running = undefined;
    this.stream.write(
      result.ok ? `ok ${r.label} (${elapsed(r.startedMs)})\n` : `FAIL ${r.label} (${elapsed(r.startedMs)}): ${result.reason}\n`,
    );
  }

  say(text: string): void {
    this.stream.write(`${text}\n`);
  }
}

class SpinnerProgress implements Progress {
  private readonly spinner: Ora;
  private running: Running | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {
    // discardStdin off: Ctrl-C must reach the whole process group as usual, not a raw-mode stdin.
    this.spinner = ora({ stream, discardStdin: false });
  }

  begin(index: number, total: number, title: string): void {
    this.running = { label: `[${index}/${total}] ${title}`, startedMs: Date.now() };
    this.stream.write('\n');
    this.spinner.start(this.running.label);
  }

  line(text: string): void {
    if (!this.running) return;
    // Printed above the spinner: clear it, write, draw it again below.
    this.spinner.clear();
    this.stream.write(indent(text));
    this.spinner.render();
  }

  end(result: { ok: true } | { ok: false; reason: string }): void {
    const r = this.running;
    if (!r) return;
    this.running = undefined;
    if (result.ok) this.spinner.succeed(`${r.label} (${elapsed(r.startedMs)})`);
    else this.spinner.fail(`${r.label} (${elapsed(r.startedMs)}): ${result.reason}`);
  }

  say(text: string): void {
    this.spinner.clear();
    this.stream.write(`${text}\n`);
    if (this.running) this.spinner.render();
  }
}

function indent(text: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `  ${l}`.trimEnd())
    .join('\n')
    .concat('\n');
}
