// What Linux's /proc says about a process and its connections: CPU time (utime + stime, proc(5)
// /proc/<pid>/stat fields 14 and 15, in clock ticks), resident memory (/proc/<pid>/status VmRSS,
// RssAnon, VmHWM) and the established TCP connections to a local port (/proc/net/tcp).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** sysconf(_SC_CLK_TCK); 100 on every Linux this runs on, asked once anyway. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isFinite(out) && out > 0 ? out : 100;
  }
  return ticksPerSecond;
}

/** CPU seconds the process has used, user + system. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

export interface Memory {
  rssMB: number;
  rssAnonMB: number;
  peakRssMB: number;
}

export function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rssMB: mb('VmRSS'), rssAnonMB: mb('RssAnon'), peakRssMB: mb('VmHWM') };
}

/** Established IPv4 TCP connections whose local port is `port` (the server's side of each). */
export function establishedConnections(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let n = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // cols[1] is local "ADDR:PORT" in hex, cols[3] the state; 01 is TCP_ESTABLISHED.
    if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '01') n++;
  }
  return n;
}

/** CPU use of a set of processes over a window, as percent of one core. */
export class CpuMeter {
  private readonly start: number[];
  private readonly startedAt = performance.now();

  constructor(private readonly pids: readonly number[]) {
    this.start = pids.map(cpuSeconds);
  }

  percent(): number {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const used = this.pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - this.start[i]!, 0);
    return (100 * used) / seconds;
  }
}
