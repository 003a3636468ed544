// CPU time a process has used, every thread counted (/proc/PID/stat utime + stime, in clock ticks
// of 1/100 s on Linux): how much of the machine a phase cost the coordinator, a figure that does
// not swing with other load on the machine as rates do.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** User + system CPU time of process `pid` so far, in ms. */
export function processCpuMs(pid: number): number {
  // The command name (field 2) is in parentheses and may hold spaces: split after its ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5), counted from field 3 (state) at index 0.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
