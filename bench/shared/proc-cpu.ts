// A process's CPU time as the kernel counts it, read from outside the process: utime + stime of
// /proc/PID/stat (proc(5), fields 14 and 15, in clock ticks). The contender cannot misreport it,
// and it counts every thread (JSON parsing, GC, libuv), not just the JavaScript the child times.

import { readFileSync } from 'node:fs';

/**
 * USER_HZ: proc(5) reports times in sysconf(_SC_CLK_TCK) ticks, which Linux fixes at 100 for user
 * space on every architecture Node runs on (`getconf CLK_TCK`), so a reading is good to 10 ms.
 */
const TICKS_PER_SECOND = 100;

/**
 * CPU ms (user + system) the process has used so far; with `children`, also that of the children
 * it has waited for (cutime + cstime: a daemon's helper processes once they have ended).
 */
export function processCpuMs(pid: number, children = false): number {
  return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), pid, children);
}

/** utime + stime (and with `children` cutime + cstime) of one /proc/PID/stat line, in ms. */
export function cpuMsFromStat(stat: string, pid: number, children = false): number {
  // The command name (field 2) is in parentheses and may itself hold spaces or ')': fields are
  // counted from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field 14 (utime) is fields[11] and field 15 (stime) fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime) || fields.length < 13) {
    throw new Error(`/proc/${pid}/stat has no utime/stime: ${stat.slice(0, 120)}`);
  }
  const waited = children ? Number(fields[13]) + Number(fields[14]) : 0;
  return ((utime + stime + waited) * 1000) / TICKS_PER_SECOND;
}
