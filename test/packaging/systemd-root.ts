// `systemd-analyze verify` without systemd as PID 1: a temporary root directory holds the units
// under test in /lib/systemd/system, a copy of this machine's own units (sysinit.target,
// ovsdb-server.service, ...) in /usr/lib/systemd/system, and whatever ExecStart= names.
// verify then loads every unit as the service manager would, checks each key and that the
// commands exist, and prints a line for anything wrong.

import { execFile } from 'node:child_process';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';

const HOST_UNITS = '/usr/lib/systemd/system';

/** Copies this machine's units into ROOT/usr/lib/systemd/system. */
export async function addHostUnits(root: string): Promise<void> {
  await mkdir(path.join(root, 'usr/lib/systemd'), { recursive: true });
  await cp(HOST_UNITS, path.join(root, HOST_UNITS), { recursive: true, verbatimSymlinks: true });
}

export interface VerifyResult {
  code: number;
  /** stdout and stderr together: empty when every unit is clean. */
  output: string;
}

/** Runs systemd-analyze verify on /lib/systemd/system/NAME inside ROOT for each name. */
export function verifyUnits(root: string, names: readonly string[]): Promise<VerifyResult> {
  const args = ['verify', '--man=no', `--root=${root}`, ...names.map((n) => `/lib/systemd/system/${n}`)];
  return new Promise((resolve) => {
    execFile('systemd-analyze', args, { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}
