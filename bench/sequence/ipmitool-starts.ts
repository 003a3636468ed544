// Counts the ipmitool processes the coordinator starts, whatever its code does: the coordinator
// runs with a PATH whose first directory holds an `ipmitool` that appends one line to a file and
// then execs /usr/bin/ipmitool in its place (same pid, same arguments, same environment), so each
// line is one ipmitool started, and one RMCP+ session set up. The last two arguments are kept too:
// `exec /dev/stdin` for a long-lived BMC session (ipmitool-session.ts), the command for a one-shot
// run. A one-shot run is one child process; a session is four: sh, cat, the pipeline's subshell
// and ipmitool (stdbuf execs it). ipmitool is the only program the coordinator starts while
// deploying (backups start tar, not during a deploy).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** sh, cat, the pipeline's subshell, ipmitool. */
const PROCESSES_PER_SESSION = 4;

export interface IpmitoolStarts {
  /** The directory to put first in the coordinator's PATH. */
  readonly binDir: string;
  /** ipmitool processes (= BMC session setups) started so far; of them long-lived sessions; child processes in all. */
  count(): Promise<{ ipmitools: number; sessions: number; processes: number }>;
}

export async function countIpmitoolStarts(dir: string, realIpmitool = '/usr/bin/ipmitool'): Promise<IpmitoolStarts> {
  const binDir = path.join(dir, 'bin');
  const log = path.join(dir, 'ipmitool-starts.log');
  await mkdir(binDir, { recursive: true });
  await writeFile(log, '');
  const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;
  // One short line per start: appends of less than PIPE_BUF bytes are not interleaved.
  await writeFile(
    path.join(binDir, 'ipmitool'),
    [
      '#!/bin/sh',
      'for last in "$@"; do before=$prev; prev=$last; done',
      `echo "$$ $before $last" >> ${quote(log)}`,
      `exec ${quote(realIpmitool)} "$@"`,
      '',
    ].join('\n'),
  );
  await chmod(path.join(binDir, 'ipmitool'), 0o755);
  return {
    binDir,
    async count() {
      const lines = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
      const sessions = lines.filter((line) => line.endsWith(' exec /dev/stdin')).length;
      return { ipmitools: lines.length, sessions, processes: lines.length - sessions + sessions * PROCESSES_PER_SESSION };
    },
  };
}
