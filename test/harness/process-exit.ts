// Waiting for a process that is not our child to end. Node has no event for another process's
// exit, and the kernel closes a dying process's files (which ends a wait for its output) just
// before it turns zombie, so this polls /proc briefly.
import { readFile } from 'node:fs/promises';

/** Whether `pid` is gone, or a zombie nobody has reaped yet, within `ms`. */
export async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    const state = stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (stat === null || state === 'Z' || state === 'X') return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
