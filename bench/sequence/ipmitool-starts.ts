// Counts the ipmitool processes the coordinator starts, whatever its code does: the coordinator
// runs with a PATH whose first directory holds an `ipmitool` that appends one line to a file and
// then execs /usr/bin/ipmitool in its place (same pid, same arguments, same environment), so each
// line is one child process started. The last argument is kept too: `shell` for a long-lived BMC
// session, the command's last word for a one-shot run. ipmitool is the only program the
// coordinator starts while deploying (backups start tar, not during a deploy).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface IpmitoolStarts {
  /** The directory to put first in the coordinator's PATH. */
  readonly binDir: string;
  /** Processes started so far, and of them how many were `shell` sessions. */
  count(): Promise<{ processes: number; shells: number }>;
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
    `#!/bin/sh\nfor last in "$@"; do :; done\necho "$$ $last" >> ${quote(log)}\nexec ${quote(realIpmitool)} "$@"\n`,
  );
  await chmod(path.join(binDir, 'ipmitool'), 0o755);
  return {
    binDir,
    async count() {
      const lines = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
      return { processes: lines.length, shells: lines.filter((line) => line.endsWith(' shell')).length };
    },
  };
}
