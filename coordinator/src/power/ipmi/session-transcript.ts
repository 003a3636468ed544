// What a long-lived ipmitool session prints, cut into one reply per command. The session runs
// `ipmitool ... exec /dev/stdin` (ipmitool-session.ts): ipmitool reads one command per line and
// prints no prompt and no echo, so each command is written followed by `echo <sentinel>`, and
// ipmitool's own `echo` (ipmishell.c ipmi_echo_main) prints the sentinel back with a trailing
// space once the command has finished. Pure: no I/O, fed with stdout chunks as they arrive.

/** The sentinel line written after command number `n` of a session. */
export function sentinelFor(n: number): string {
  return `__mooring_reply_end_${n}__`;
}

/** Printed by the session's pipeline with ipmitool's exit status once ipmitool has ended. */
export const EXIT_MARK = '__mooring_ipmitool_exited__';
const EXIT_LINE = new RegExp(`${EXIT_MARK} (\\d+)$`, 'm');

/** Accumulates stdout and hands out the text printed before each sentinel line. */
export class SessionTranscript {
  private buffer = '';

  push(chunk: string): void {
    this.buffer += chunk;
  }

  /** Bytes received and not yet handed out (bounds a runaway command's output). */
  get pendingLength(): number {
    return this.buffer.length;
  }

  /** ipmitool's exit status, once the pipeline has printed it (null before). */
  exitStatus(): number | null {
    const match = EXIT_LINE.exec(this.buffer);
    return match ? Number(match[1]) : null;
  }

  /**
   * The stdout printed before `sentinel`'s line, or null while that line has not arrived whole.
   * The sentinel's line and everything before it leave the buffer.
   */
  take(sentinel: string): string | null {
    let start = 0;
    for (;;) {
      const end = this.buffer.indexOf('\n', start);
      if (end < 0) return null;
      if (this.buffer.slice(start, end).trim() === sentinel) {
        const reply = this.buffer.slice(0, start);
        this.buffer = this.buffer.slice(end + 1);
        return reply;
      }
      start = end + 1;
    }
  }
}

// ipmitool runs at -v so that a failed session setup says why (ipmitool-args.ts); the session
// turns verbosity down once it is up (`set verbose 0`), but `raw` still logs its request and
// response at LOG_INFO (ipmi_raw.c): "RAW REQ (channel=0x0 netfn=0x0 ...)", "RAW RSP (0 bytes)".
const VERBOSE_LINES = /^RAW (REQ|RSP) \(/;

/**
 * A command's stderr without the lines ipmitool prints on success too. In a session there is no
 * exit status per command: a command failed when this leaves something (ipmitool prints every
 * failure of the chassis and raw commands on stderr, lib/ipmi_chassis.c, lib/ipmi_raw.c).
 */
export function commandErrors(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !VERBOSE_LINES.test(line.trim()))
    .join('\n');
}
